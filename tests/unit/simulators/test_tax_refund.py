"""The simulated tax bureau's refund: VAT paid scaled by refund rate over the standard rate, to the fen."""

from decimal import Decimal

from singlewindow.simulators.rules import AgencyRules, export_refund


def test_the_simulated_bureau_refunds_what_the_rate_allows() -> None:
    application = {
        "goods": [
            {"vat_amount": "5850.00", "refund_rate": "13.00"},
            {"vat_amount": "2600.00", "refund_rate": "9.00"},
            {"vat_amount": "650.00", "refund_rate": "0.00"},
        ]
    }
    assert export_refund(AgencyRules(), application) == Decimal("7650.00")
    assert export_refund(AgencyRules(vat_levy_rate=Decimal(9)), {"goods": application["goods"][1:2]}) == Decimal(
        "2600.00"
    )
