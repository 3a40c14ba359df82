"""Balance arithmetic in exact integer units, the same arithmetic the conditional UPDATEs do in SQL.

Quantities (catalogue element SW0020, ``n..18,4``) are kept in ten-thousandths and values
(SW0024, ``n..16,2``) in hundredths (fen, cents), as integers: SQLite has no exact decimal
type, and integer arithmetic in SQL is exact on both databases. Both fit a signed 64-bit
column (at most 10^18 units).
"""

from dataclasses import dataclass
from decimal import Decimal

QUANTITY_PLACES = 4
VALUE_PLACES = 2


def to_units(amount: Decimal, places: int) -> int:
    """``amount`` as an integer count of 10^-places; refuses what the column could not hold exactly."""
    scaled = amount.scaleb(places)
    if amount < 0 or scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} is not a non-negative amount with at most {places} decimal places")
    return int(scaled)


def from_units(units: int, places: int) -> Decimal:
    return Decimal(units).scaleb(-places)


@dataclass(frozen=True, slots=True)
class Balance:
    """One dimension (quantity or value) of one goods line of a licence."""

    allowed: int
    used: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.allowed - self.used - self.reserved

    def can_reserve(self, amount: int) -> bool:
        """The SQL guard: ``allowed - used - reserved >= amount``."""
        return amount >= 0 and self.available >= amount

    def reserve(self, amount: int) -> "Balance":
        if not self.can_reserve(amount):
            raise ValueError(f"cannot reserve {amount}: {self.available} available")
        return Balance(self.allowed, self.used, self.reserved + amount)

    def write_off(self, amount: int) -> "Balance":
        """A reservation becomes use: the declaration was released."""
        if not 0 <= amount <= self.reserved:
            raise ValueError(f"cannot write off {amount}: {self.reserved} reserved")
        return Balance(self.allowed, self.used + amount, self.reserved - amount)

    def release(self, amount: int) -> "Balance":
        """A reservation is given back: the declaration was cancelled, rejected or amended."""
        if not 0 <= amount <= self.reserved:
            raise ValueError(f"cannot release {amount}: {self.reserved} reserved")
        return Balance(self.allowed, self.used, self.reserved - amount)

    @property
    def exhausted(self) -> bool:
        return self.used >= self.allowed
