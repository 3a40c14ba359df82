"""The harmonization report: data elements entered once versus those every agency's own form would ask.

Computed from the catalogue alone (document types and agency requirements), never typed in:
the same measure China's single window reports as 11,500 → 4,401 data elements. Both sides
count distinct data elements, not fields: the consignor's and the consignee's names are two
fields of one element (SW0003 Party name), so they count once on the one form and once on
each agency's form that asks for either.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from singlewindow.catalogue import document_types
from singlewindow.catalogue.agency_requirements import Requirements, groups_of, requirements
from singlewindow.catalogue.document_types import FieldUse


@dataclass(frozen=True, slots=True)
class Harmonization:
    document_type: str
    name_en: str
    name_zh: str
    entered_once: int
    """Distinct data elements on the one form."""
    fields: int
    """Fields on the one form (one element may fill several, e.g. consignor and consignee name)."""
    separate_forms: int
    """Sum over the agencies of the distinct data elements each agency's own form would ask for."""
    per_agency: dict[str, int]

    @property
    def reduction_percent(self) -> float:
        if not self.separate_forms:
            return 0.0
        return round(100 * (1 - self.entered_once / self.separate_forms), 1)


def _receives(rule: Mapping[str, Any], use: FieldUse) -> bool:
    """Whether an agency's separate form would ask for this field."""
    top, _, rest = use.path.partition(".")
    name = top.removesuffix("[]")
    if name in groups_of(rule):
        wanted = rule[f"{name}_fields"]
        return wanted == "*" or rest.split(".")[0].removesuffix("[]") in wanted
    return bool(rule["header"] == "*" or name in rule["header"])


def harmonization(table: Requirements | None = None) -> list[Harmonization]:
    rows = []
    for code, agencies in (table or requirements()).items():
        document_type = document_types.get(code)
        uses = document_types.fields(code)
        per_agency = {agency: len({u.element for u in uses if _receives(rule, u)}) for agency, rule in agencies.items()}
        rows.append(
            Harmonization(
                document_type=code,
                name_en=document_type.name_en,
                name_zh=document_type.name_zh,
                entered_once=len({u.element for u in uses}),
                fields=len(uses),
                separate_forms=sum(per_agency.values()),
                per_agency=per_agency,
            )
        )
    return rows
