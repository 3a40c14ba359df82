"""The assessment of one import declaration, pure: goods, rates and rules in, explained figures out.

Per goods item, in this order, with the rounding points that customs practice uses:

1. the invoice value to yuan at the month's customs rate, rounded to the fen;
2. freight and insurance the price lacks: the declared total (to yuan, to the fen, shared
   over the items by value with the remainder on the last, so the shares add up exactly),
   the declared rate (freight: value × rate; insurance: (value + freight) × rate, each
   item's share rounded to the fen), or the standard rule (rounded the same way);
3. customs value = value + freight + insurance (exact sums of rounded figures);
4. duty = value × ad valorem rate + quantity × specific rate, rounded once to the fen;
5. consumption tax on the composite price (value + duty) / (1 − rate), plus any specific
   amount, rounded once to the fen (Provisional Regulations on Consumption Tax, art. 9);
6. VAT = (value + duty + consumption tax) × VAT rate, rounded to the fen.

Totals are sums of the item figures, never rounded again. Every figure carries a line that
says how it was reached, so a trader can check the arithmetic by hand.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from singlewindow.payments.errors import CannotAssess, NoExchangeRate
from singlewindow.payments.money import EXACT, HUNDRED, allocate, exact, fen, percent, text
from singlewindow.payments.tariff import Applied, Rate, Tariff, TariffLine, choose
from singlewindow.payments.valuation import ValuationRules, includes

CNY = "CNY"
WEIGHT_UNIT = "KGM"


@dataclass(frozen=True, slots=True)
class Charge:
    """Declared freight or insurance for the whole declaration: a total in a currency, or a rate in percent."""

    amount: Decimal | None = None
    currency: str | None = None
    rate_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Item:
    seq: int
    hs_code: str
    description: str
    quantity: Decimal
    unit: str
    net_weight_kg: Decimal
    value: Decimal
    origin: str
    certificate: str | None = None
    """The certificate of origin number the item cites for a conventional rate."""


@dataclass(frozen=True, slots=True)
class Goods:
    reference: str
    currency: str
    incoterm: str
    transport_mode: str
    items: Sequence[Item]
    freight: Charge | None = None
    insurance: Charge | None = None


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    currency: str
    rate: Decimal
    month: str
    published_on: str
    stale: bool = False


@dataclass(frozen=True, slots=True)
class Explained:
    code: str
    formula: str
    amount: Decimal
    basis: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "formula": self.formula, "amount": text(self.amount), "basis": self.basis}


@dataclass
class ItemAssessment:
    seq: int
    hs_code: str
    tariff_line: str
    description: str
    origin: str
    duty_rate: Applied
    customs_value: Decimal = Decimal("0.00")
    duty: Decimal = Decimal("0.00")
    consumption_tax: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")
    lines: list[Explained] = field(default_factory=list)
    preference_refused: str | None = None
    """Why a conventional rate the origin could have had was not applied (no or no valid proof of origin)."""

    @property
    def total(self) -> Decimal:
        return self.duty + self.consumption_tax + self.vat


@dataclass
class Result:
    currency: str
    items: list[ItemAssessment]
    rates: list[ExchangeRate]

    def sum(self, attribute: str) -> Decimal:
        return sum((getattr(i, attribute) for i in self.items), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.sum("duty") + self.sum("consumption_tax") + self.sum("vat")


ProofOf = Mapping[tuple[int, str], str]
"""(goods item seq, agreement) → the proof of origin's number, for items with a valid proof."""
Refusals = Mapping[int, str]
"""Goods item seq → why its proof of origin gives no conventional rate (shown on its duty line)."""


@dataclass(frozen=True, slots=True)
class Share:
    """One item's part of a declaration-level charge, and how it was reached."""

    amount: Decimal
    formula: str


def _rate(rates: Mapping[str, ExchangeRate], currency: str) -> ExchangeRate:
    if currency == CNY:
        return ExchangeRate(CNY, Decimal(1), "", "")
    found = rates.get(currency)
    if found is None:
        raise NoExchangeRate(
            f"no customs exchange rate for {currency}; an operator loads it with PUT /api/v1/payments/rates"
        )
    return found


def _to_cny(amount: Decimal, currency: str, rates: Mapping[str, ExchangeRate]) -> tuple[Decimal, str]:
    rate = _rate(rates, currency)
    converted = fen(amount * rate.rate)
    if currency == CNY:
        return converted, f"{text(amount)} CNY"
    return converted, f"{text(amount)} {currency} × {text(rate.rate)} = {text(converted)} CNY"


def _quantity(item: Item, rate: Rate) -> Decimal:
    if rate.per == item.unit:
        return item.quantity
    if rate.per == WEIGHT_UNIT:
        return item.net_weight_kg
    raise CannotAssess(
        f"goods item {item.seq}: the rate is per {rate.per} but the item is declared in {item.unit}; "
        f"declare it in {rate.per}"
    )


def duty_of(value: Decimal, quantity: Decimal | None, rate: Rate) -> tuple[Decimal, str]:
    """Ad valorem, specific or compound duty on one item, rounded once to the fen."""
    with localcontext(EXACT):
        raw = Decimal(0)
        parts = []
        if rate.ad_valorem is not None:
            raw += percent(value, rate.ad_valorem)
            parts.append(f"{text(value)} × {rate.ad_valorem}%")
        if rate.specific is not None:
            assert quantity is not None, "a specific rate needs a quantity"
            raw += quantity * rate.specific
            parts.append(f"{text(quantity)} {rate.per} × {rate.specific} CNY")
    amount = fen(raw)
    return amount, f"{' + '.join(parts)} = {text(amount)}"


def consumption_tax_of(value: Decimal, duty: Decimal, quantity: Decimal | None, rate: Rate) -> tuple[Decimal, str]:
    """Composite-price method: (value + duty + specific) / (1 − rate) × rate + specific."""
    with localcontext(EXACT):
        specific = quantity * rate.specific if rate.specific is not None and quantity is not None else Decimal(0)
        share = (rate.ad_valorem or Decimal(0)) / HUNDRED
        if share >= 1:
            raise CannotAssess(f"a consumption tax rate of {rate.ad_valorem}% leaves no composite price")
        base = (value + duty + specific) / (1 - share)
        raw = base * share + specific
    amount = fen(raw)
    formula = f"({text(value)} + {text(duty)}"
    formula += (
        f" + {text(specific)}) / (1 − {rate.ad_valorem or 0}%)" if specific else f") / (1 − {rate.ad_valorem or 0}%)"
    )
    formula += f" × {rate.ad_valorem or 0}%"
    formula += f" + {text(specific)}" if specific else ""
    return amount, f"{formula} = {text(amount)}"


def _declared_shares(total: Decimal, values: list[Decimal], what: str) -> list[Share]:
    """A declared total shared by value; the last item with value takes the remainder, so the shares add up."""
    amounts = allocate(total, values)
    weight = sum(values, Decimal(0))
    if weight <= 0:
        return [Share(a, f"{text(total)} {what} on the first item (no item has value)") for a in amounts]
    last = max(i for i, v in enumerate(values) if v > 0)
    shares = []
    for i, (amount, value) in enumerate(zip(amounts, values, strict=True)):
        if i == last and len(values) > 1:
            formula = f"{text(total)} − the other items' shares = {text(amount)} (declared {what}, the remainder)"
        else:
            formula = f"{text(total)} × {text(value)} / {text(weight)} = {text(amount)} (declared {what}, by value)"
        shares.append(Share(amount, formula))
    return shares


def _none(count: int, incoterm: str, what: str) -> list[Share]:
    return [Share(Decimal("0.00"), f"0.00 ({incoterm} price includes {what})")] * count


def _rated(values: list[Decimal], rate: Decimal, why: str) -> list[Share]:
    shares = []
    for value in values:
        amount = fen(percent(value, rate))
        shares.append(Share(amount, f"{text(value)} × {exact(rate)}% = {text(amount)} ({why})"))
    return shares


def _freight_shares(
    goods: Goods, values: list[Decimal], rates: Mapping[str, ExchangeRate], rules: ValuationRules
) -> tuple[list[Share], list[Explained]]:
    freight_included, _ = includes(goods.incoterm)
    if freight_included:
        return _none(len(values), goods.incoterm, "freight"), [
            Explained("freight_included", goods.incoterm, Decimal("0.00"))
        ]
    declared = goods.freight
    if declared is not None and declared.rate_percent is not None:
        rate = declared.rate_percent
        shares = _rated(values, rate, "declared freight rate")
        total = sum((s.amount for s in shares), Decimal("0.00"))
        return shares, [Explained("freight_rate", f"Σ value × {rate}%", total)]
    if declared is not None and declared.amount is not None and declared.currency is not None:
        total, formula = _to_cny(declared.amount, declared.currency, rates)
        return _declared_shares(total, values, "freight"), [Explained("freight_declared", formula, total)]
    percent_of_price = rules.freight_percent_of_price.get(goods.transport_mode)
    if percent_of_price is None:
        raise CannotAssess(
            f"freight is not declared and no standard freight is set for transport mode {goods.transport_mode}"
        )
    shares = _rated(values, percent_of_price, "standard freight, not declared")
    total = sum((s.amount for s in shares), Decimal("0.00"))
    return shares, [Explained("freight_standard", f"Σ value × {percent_of_price}%", total, rules.freight_basis)]


def _insurance_shares(
    goods: Goods,
    values: list[Decimal],
    freight: list[Share],
    rates: Mapping[str, ExchangeRate],
    rules: ValuationRules,
) -> tuple[list[Share], list[Explained]]:
    _, insurance_included = includes(goods.incoterm)
    if insurance_included:
        return _none(len(values), goods.incoterm, "insurance"), [
            Explained("insurance_included", goods.incoterm, Decimal("0.00"))
        ]
    declared = goods.insurance
    if declared is not None and declared.amount is not None and declared.currency is not None:
        total, formula = _to_cny(declared.amount, declared.currency, rates)
        return _declared_shares(total, values, "insurance"), [Explained("insurance_declared", formula, total)]
    if declared is not None and declared.rate_percent is not None:
        rate, code, basis, why = declared.rate_percent, "insurance_rate", None, "declared insurance rate"
    else:
        rate, code = rules.insurance_permille / 10, "insurance_standard"
        basis, why = rules.insurance_basis, "standard insurance, not declared"
    shares = []
    with localcontext(EXACT):
        for v, f in zip(values, freight, strict=True):
            amount = fen(percent(v + f.amount, rate))
            shares.append(Share(amount, f"({text(v)} + {text(f.amount)}) × {exact(rate)}% = {text(amount)} ({why})"))
    total = sum((s.amount for s in shares), Decimal("0.00"))
    return shares, [Explained(code, f"Σ (value + freight) × {exact(rate)}%", total, basis)]


def _assess_item(
    item: Item,
    value: Decimal,
    value_formula: str,
    freight: Share,
    insurance: Share,
    tariff: Tariff,
    proofs: ProofOf,
    refusals: Refusals,
) -> ItemAssessment:
    key, line = tariff.line(item.hs_code)
    applied = _applied(tariff, line, item, proofs)
    result = ItemAssessment(item.seq, item.hs_code, key, item.description, item.origin, applied)
    result.customs_value = value + freight.amount + insurance.amount
    result.lines.append(Explained("value", value_formula, value))
    result.lines.append(Explained("freight_share", freight.formula, freight.amount))
    result.lines.append(Explained("insurance_share", insurance.formula, insurance.amount))
    result.lines.append(
        Explained(
            "customs_value",
            f"{text(value)} + {text(freight.amount)} + {text(insurance.amount)} = {text(result.customs_value)}",
            result.customs_value,
        )
    )
    quantity = _quantity(item, applied.rate) if applied.rate.specific is not None else None
    result.duty, formula = duty_of(result.customs_value, quantity, applied.rate)
    if applied.agreement is None and tariff.agreements_for(item.origin, line):
        result.preference_refused = refusals.get(item.seq) or "no certificate of origin was cited for this item"
    basis = _duty_basis(tariff, applied, result.preference_refused)
    result.lines.append(Explained(f"duty_{applied.column}", formula, result.duty, basis))
    if line.consumption_tax is not None:
        ct_quantity = _quantity(item, line.consumption_tax) if line.consumption_tax.specific is not None else None
        result.consumption_tax, formula = consumption_tax_of(
            result.customs_value, result.duty, ct_quantity, line.consumption_tax
        )
        result.lines.append(Explained("consumption_tax", formula, result.consumption_tax))
    base = result.customs_value + result.duty + result.consumption_tax
    result.vat = fen(percent(base, line.vat))
    vat_formula = f"({text(result.customs_value)} + {text(result.duty)} + {text(result.consumption_tax)}) × {line.vat}%"
    result.lines.append(Explained("vat", f"{vat_formula} = {text(result.vat)}", result.vat))
    return result


def _applied(tariff: Tariff, line: TariffLine, item: Item, proofs: ProofOf) -> Applied:
    for agreement in tariff.agreements_for(item.origin, line):
        proof = proofs.get((item.seq, agreement))
        if proof is not None:
            return choose(line, agreement, proof)
    return choose(line, None, None)


def _duty_basis(tariff: Tariff, applied: Applied, refused: str | None) -> str:
    rate = applied.rate.describe()
    if applied.agreement:
        name = tariff.agreements[applied.agreement].name_en
        return f"{rate}, {applied.column} rate under {name}, proof of origin {applied.proof}"
    basis = f"{rate}, {applied.column} rate, tariff {tariff.edition}"
    return f"{basis}; no conventional rate: {refused}" if refused else basis


def assess(
    goods: Goods,
    tariff: Tariff,
    rules: ValuationRules,
    rates: Mapping[str, ExchangeRate],
    proofs: ProofOf | None = None,
    refusals: Refusals | None = None,
) -> tuple[Result, list[Explained]]:
    """The figures for every goods item, and the declaration-level lines (freight, insurance, rates)."""
    if not goods.items:
        raise CannotAssess("a declaration without goods items has nothing to assess")
    converted = [_to_cny(item.value, goods.currency, rates) for item in goods.items]
    values = [v for v, _ in converted]
    freight, notes = _freight_shares(goods, values, rates, rules)
    insurance, insurance_notes = _insurance_shares(goods, values, freight, rates, rules)
    notes += insurance_notes
    used = {c: _rate(rates, c) for c in {goods.currency} | _charge_currencies(goods) if c != CNY}
    notes += [
        Explained(
            "exchange_rate_stale" if r.stale else "exchange_rate",
            f"1 {r.currency} = {text(r.rate)} CNY ({r.month}, published {r.published_on})",
            r.rate,
        )
        for r in sorted(used.values(), key=lambda r: r.currency)
    ]
    items = [
        _assess_item(item, value, formula, f, i, tariff, proofs or {}, refusals or {})
        for item, (value, formula), f, i in zip(goods.items, converted, freight, insurance, strict=True)
    ]
    return Result(CNY, items, list(used.values())), notes


def _charge_currencies(goods: Goods) -> set[str]:
    return {c.currency for c in (goods.freight, goods.insurance) if c is not None and c.currency is not None}
