"""Events payments publishes, in the transaction that settled the order."""

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DutiesSettled:
    """A declaration's duties and taxes were paid, guaranteed or found to be nothing: customs may release."""

    declaration_id: uuid.UUID
    at: datetime
