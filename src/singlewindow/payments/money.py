"""Decimal arithmetic with the rounding points customs uses, and nothing implicit.

Every amount is a ``Decimal``; a float never enters. Intermediate products are exact
(a 60-digit context, far past any declaration's value times any rate), and an amount is
rounded only where ``fen`` is called, half up to 0.01 yuan, as customs rounds tax
amounts (四舍五入 to the fen).
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

FEN = Decimal("0.01")
HUNDRED = Decimal(100)
EXACT = Context(prec=60)


def fen(amount: Decimal) -> Decimal:
    """Round to the fen, half up: 0.005 → 0.01, -0.005 → -0.01."""
    with localcontext(EXACT):
        return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def percent(amount: Decimal, rate_percent: Decimal) -> Decimal:
    """``amount × rate%``, exact (not rounded)."""
    with localcontext(EXACT):
        return amount * rate_percent / HUNDRED


def exact(value: Decimal) -> Decimal:
    """Normalise an exact result for display without exponent notation (1E+2 → 100)."""
    return value if value != value.to_integral_value() else value.quantize(Decimal(1))


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (already in fen) over items in proportion to ``weights``, each share in fen.

    Shares are rounded half up and the last item with a positive weight takes the
    remainder, so the shares always add up to ``total`` exactly: a declaration-level freight
    figure is never gained or lost in rounding.
    """
    if not weights:
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0:
        return [total, *([Decimal("0.00")] * (len(weights) - 1))]
    with localcontext(EXACT):
        shares = [fen(total * w / weight_sum) for w in weights]
        last = max(i for i, w in enumerate(weights) if w > 0)
        shares[last] = fen(total - sum((s for i, s in enumerate(shares) if i != last), Decimal(0)))
    return shares


def text(amount: Decimal) -> str:
    """A plain decimal string (no exponent), as figures are shown and stored."""
    return format(amount, "f")
