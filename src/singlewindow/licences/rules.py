"""Whether a licence may cover one goods item: pure checks, each refusal named by its reason.

The same checks answer the online verification endpoint and the submission check; the
database then enforces the balance once more with a conditional UPDATE, so a concurrent
declaration that took the balance first still wins (see ``repository.reserve``).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from singlewindow.licences.balance import Balance
from singlewindow.licences.kinds import LicenceKind, kinds
from singlewindow.licences.models import Licence, LicenceGoods, LicenceStatus


@dataclass(frozen=True, slots=True)
class Refusal:
    type: str
    msg: str


@dataclass(frozen=True, slots=True)
class Want:
    """One goods item's claim on a licence: amounts in integer units (``balance.py``)."""

    hs_code: str
    direction: str
    quantity: int
    unit: str | None
    value: int
    currency: str | None
    party_id: uuid.UUID | None
    """The declarant, who must hold the licence; None when only the licence is being looked at."""
    today: date


def required(kinds_needed: Sequence[LicenceKind], hs_code: str) -> Refusal:
    names = " or ".join(f"{k.name_en} (condition {k.condition})" if k.condition else k.name_en for k in kinds_needed)
    return Refusal("licence_required", f"HS {hs_code} needs a licence: {names}; give its number in licence_number")


def unknown(number: str) -> Refusal:
    return Refusal("licence_unknown", f"no licence {number} in the registry")


def covering_line(lines: Sequence[LicenceGoods], hs_code: str) -> LicenceGoods | None:
    """The line with the longest HS prefix of ``hs_code`` (a heading line covers its subheadings)."""
    matching = [line for line in lines if hs_code.startswith(line.hs_code)]
    return max(matching, key=lambda line: len(line.hs_code), default=None)


def _licence_refusal(licence: Licence, want: Want, kinds_needed: Sequence[LicenceKind]) -> Refusal | None:
    kind = kinds()[licence.kind]
    if want.direction not in kind.directions or (kinds_needed and kind not in kinds_needed):
        needed = " or ".join(k.name_en for k in kinds_needed) or f"a licence for {want.direction}"
        return Refusal(
            "licence_kind", f"licence {licence.number} ({kind.name_en}) does not serve here: this needs {needed}"
        )
    if want.party_id is not None and licence.holder_party_id != want.party_id:
        return Refusal(
            "licence_holder", f"licence {licence.number} is held by {licence.holder_uscc or licence.holder_name}"
        )
    if licence.status is LicenceStatus.REVOKED:
        return Refusal("licence_revoked", f"licence {licence.number} was revoked: {licence.revoked_reason}")
    if licence.status is LicenceStatus.EXHAUSTED:
        return Refusal("licence_exhausted", f"licence {licence.number} is used up")
    if want.today < licence.valid_from:
        return Refusal("licence_not_yet_valid", f"licence {licence.number} is valid from {licence.valid_from}")
    if want.today > licence.valid_until:
        return Refusal("licence_expired", f"licence {licence.number} expired on {licence.valid_until}")
    return None


def _line_refusal(licence: Licence, line: LicenceGoods, want: Want) -> Refusal | None:
    if line.quantity_allowed is not None and want.unit is not None and want.unit != line.unit:
        return Refusal(
            "licence_unit", f"licence {licence.number} counts HS {line.hs_code} in {line.unit}, not {want.unit}"
        )
    if line.value_allowed is not None and want.currency is not None and want.currency != line.currency:
        return Refusal(
            "licence_currency",
            f"licence {licence.number} limits HS {line.hs_code} in {line.currency}, not {want.currency}",
        )
    quantity, value = claim(line, want)
    if line.quantity_allowed is not None and not quantity_balance(line).can_reserve(quantity):
        return Refusal("licence_balance", f"licence {licence.number} line {line.line}: not enough quantity left")
    if line.value_allowed is not None and not value_balance(line).can_reserve(value):
        return Refusal("licence_balance", f"licence {licence.number} line {line.line}: not enough value left")
    return None


def check(
    licence: Licence, lines: Sequence[LicenceGoods], want: Want, kinds_needed: Sequence[LicenceKind]
) -> tuple[LicenceGoods | None, Refusal | None]:
    """The line that would cover the item, or the first reason it cannot."""
    if refusal := _licence_refusal(licence, want, kinds_needed):
        return None, refusal
    line = covering_line(lines, want.hs_code)
    if line is None:
        return None, Refusal("licence_hs", f"licence {licence.number} does not cover HS {want.hs_code}")
    return line, _line_refusal(licence, line, want)


def claim(line: LicenceGoods, want: Want) -> tuple[int, int]:
    """What the item draws from the line: only the dimensions the line limits."""
    return (
        want.quantity if line.quantity_allowed is not None else 0,
        want.value if line.value_allowed is not None else 0,
    )


def quantity_balance(line: LicenceGoods) -> Balance:
    return Balance(line.quantity_allowed or 0, line.quantity_used, line.quantity_reserved)


def value_balance(line: LicenceGoods) -> Balance:
    return Balance(line.value_allowed or 0, line.value_used, line.value_reserved)


def line_exhausted(line: LicenceGoods) -> bool:
    """Nothing left to use: a limited dimension is fully used."""
    return (line.quantity_allowed is not None and quantity_balance(line).exhausted) or (
        line.value_allowed is not None and value_balance(line).exhausted
    )
