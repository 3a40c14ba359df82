"""Events declarations publish."""

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DeclarationStatusChanged:
    declaration_id: uuid.UUID
    party_id: uuid.UUID
    reference: str
    previous: str
    status: str
    revision: int
    at: datetime
