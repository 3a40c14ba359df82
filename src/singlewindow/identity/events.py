"""Events identity publishes, in the transaction that made them true."""

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CreditLevelChanged:
    """An enterprise got its first credit level (registration) or the customs agency changed it."""

    party_id: uuid.UUID
    uscc: str | None
    name: str
    previous: str | None
    level: str
    at: datetime
