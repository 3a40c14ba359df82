"""Which exchange rate customs applies on a given day.

GACC Order No. 124 (Measures on the Administration of Taxation of Import and Export Goods),
art. 16: the rate customs uses in a month is the People's Bank of China benchmark rate of
the foreign currency against the renminbi published on the third Wednesday of the previous
month (the fourth Wednesday when the third is a public holiday); for currencies without a
benchmark rate, the middle of the Bank of China's spot buying and selling rates published
at the same time, in yuan rounded half up to 4 decimal places. The day that counts is the
day the declaration was accepted (申报之日), in China Standard Time.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")
WEDNESDAY = 2
RATE_PLACES = Decimal("0.0001")
PUBLIC_HOLIDAY_WEDNESDAYS = frozenset({date(2026, 2, 18)})
"""Third Wednesdays that fall on a public holiday (State Council holiday notices).

2026-02-18 is in the Spring Festival break (2026-02-15 to 02-23), so March 2026 uses 02-25.
"""


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def china_day(moment: datetime) -> date:
    """The calendar day in China of an instant (declarations are dated in China Standard Time)."""
    return moment.astimezone(CHINA_STANDARD_TIME).date() if moment.tzinfo else moment.replace(tzinfo=UTC).date()


def nth_wednesday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(WEDNESDAY - first.weekday()) % 7 + 7 * (n - 1))


def publication_day(month: str, holidays: frozenset[date] = PUBLIC_HOLIDAY_WEDNESDAYS) -> date:
    """The day whose published rate customs uses throughout ``month`` ("YYYY-MM")."""
    year, number = (int(part) for part in month.split("-"))
    previous_year, previous_month = (year, number - 1) if number > 1 else (year - 1, 12)
    third = nth_wednesday(previous_year, previous_month, 3)
    return nth_wednesday(previous_year, previous_month, 4) if third in holidays else third


def round_rate(rate: Decimal) -> Decimal:
    """Yuan per unit of currency to 4 decimal places, half up (art. 16, for cross rates)."""
    return rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
