"""How much VAT an export earns back, line by line, to the fen.

A foreign trade enterprise (外贸企业) is refunded under "exempt and refund" (免退税): for each
exported item, refund = taxable purchase amount on the special VAT invoice × refund rate
(财税〔2012〕39号, article 5(2)), rounded half up to the fen, and never more than the VAT the
invoice shows (the refund returns tax paid, it does not pay a subsidy). When the refund rate is
below the levy rate, the difference stays a cost of the goods.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
HUNDRED = Decimal(100)


def refundable(taxable: Decimal, vat_amount: Decimal, rate_percent: Decimal) -> Decimal:
    computed = (taxable * rate_percent / HUNDRED).quantize(FEN, rounding=ROUND_HALF_UP)
    return min(computed, vat_amount.quantize(FEN, rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Line:
    seq: int
    hs_code: str
    description: str
    invoice_number: str
    taxable: Decimal
    vat_amount: Decimal
    rate: Decimal
    rate_source: str

    @property
    def refund(self) -> Decimal:
        return refundable(self.taxable, self.vat_amount, self.rate)

    @property
    def explanation(self) -> str:
        computed = (self.taxable * self.rate / HUNDRED).quantize(FEN, rounding=ROUND_HALF_UP)
        capped = " (capped at the VAT paid)" if computed > self.refund else ""
        return (
            f"item {self.seq} HS {self.hs_code}: invoice {self.invoice_number} taxable CNY {self.taxable:.2f} "
            f"× refund rate {self.rate}% = CNY {self.refund:.2f}{capped}; VAT paid CNY {self.vat_amount:.2f}"
        )


def total(lines: list[Line]) -> Decimal:
    return sum((line.refund for line in lines), Decimal("0.00"))
