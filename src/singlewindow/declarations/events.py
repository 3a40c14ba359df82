"""Events declarations publish, in the transaction that made them true.

A handler that raises ``InvalidData`` (or any ``SingleWindowError``) on ``DeclarationSubmitted``
refuses the submission: the caller's transaction rolls back and nothing is stored. That is how
other contexts check a declaration before it is routed (a licence's balance, say) without the
declarations context knowing them.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class DeclarationSubmitted:
    """A new declaration or a new revision of one (``revision`` > 1 is an amendment), routed to ``agencies``."""

    declaration_id: uuid.UUID
    party_id: uuid.UUID
    document_type: str
    type: str
    reference: str
    revision: int
    data: dict[str, Any]
    agencies: tuple[str, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class AgencyDecided:
    """One agency's decision was applied to its task (``status`` is the task's new status).

    ``reason`` is the agency's stated reason or inspection finding; ``party_id`` the declarant's.
    """

    declaration_id: uuid.UUID
    document_type: str
    agency: str
    decision: str
    status: str
    revision: int
    at: datetime
    reason: str | None = None
    party_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class DeclarationStatusChanged:
    declaration_id: uuid.UUID
    party_id: uuid.UUID
    reference: str
    previous: str
    status: str
    revision: int
    at: datetime
    document_type: str = "cargo_declaration"
