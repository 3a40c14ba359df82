"""How a simulated agency decides, from rules an operator or a test can change.

A declaration is rejected when a goods item needs a licence the agency does not know, goes
to inspection when an item's HS code or the total value hits a risk rule, and is released
otherwise; an inspection ends with the configured result after a delay.
"""

import json
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel


class AgencyRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inspect_hs_prefixes: list[str] = Field(default_factory=list)
    inspect_value_over: Decimal | None = None
    inspection_result: Literal["passed", "failed"] = "passed"
    reject_hs_prefixes: list[str] = Field(default_factory=list)
    valid_licences: list[str] | None = None
    vat_levy_rate: Decimal = Decimal(13)
    """The tax bureau's assumption for every invoice (the standard VAT rate), to turn VAT paid into a refund."""


class SimulatorRules(RootModel[dict[str, AgencyRules]]):
    def for_agency(self, agency: str) -> AgencyRules:
        return self.root.get(agency, AgencyRules())


def load_rules(path: Path | None) -> SimulatorRules:
    raw = path.read_bytes() if path else files("singlewindow.simulators").joinpath("default_rules.json").read_bytes()
    return SimulatorRules.model_validate(json.loads(raw))


def decide(
    rules: AgencyRules, declaration: dict[str, Any], document_type: str = "cargo_declaration"
) -> tuple[str, str | None]:
    """The decision (release, inspect or reject) and its reason, for one agency's view.

    Licences are checked on cargo declarations only: a licence application is how one gets one.
    """
    goods: list[dict[str, Any]] = declaration.get("goods", [])
    if rules.valid_licences is not None and document_type == "cargo_declaration":
        for item in goods:
            licence = item.get("licence_number")
            if licence not in rules.valid_licences:
                return (
                    "reject",
                    f"goods item {item['seq']}: licence {licence or '(none)'} is not valid for HS {item['hs_code']}",
                )
    for item in goods:
        if str(item.get("hs_code", "")).startswith(tuple(rules.reject_hs_prefixes) or ("\0",)):
            return "reject", f"goods item {item['seq']}: HS {item['hs_code']} may not cross the border"
    for item in goods:
        if str(item.get("hs_code", "")).startswith(tuple(rules.inspect_hs_prefixes) or ("\0",)):
            return "inspect", f"goods item {item['seq']}: HS {item['hs_code']} is under a risk profile"
    total = sum((Decimal(str(item.get("value", 0))) for item in goods), Decimal(0))
    if rules.inspect_value_over is not None and total > rules.inspect_value_over:
        return "inspect", f"declared value {total} is over {rules.inspect_value_over}"
    return "release", None


def export_refund(rules: AgencyRules, application: dict[str, Any]) -> Decimal:
    """What the simulated tax bureau refunds: per line, VAT paid × refund rate ÷ levy rate, to the fen.

    A real bureau reads each invoice's taxable amount from the VAT invoice system; the
    simulator has only the application, so it recovers the taxable amount from the VAT
    paid at the standard rate. For an invoice taxed at that rate the result is exactly the
    taxable amount × refund rate.
    """
    refund = Decimal("0.00")
    for item in application.get("goods", []):
        vat, rate = Decimal(str(item["vat_amount"])), Decimal(str(item["refund_rate"]))
        line = min(vat * rate / rules.vat_levy_rate, vat)
        refund += line.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return refund
