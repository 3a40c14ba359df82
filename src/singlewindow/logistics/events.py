"""Events logistics publishes about declared goods, in the transaction that recorded the port event.

They carry the cargo declaration's id, so contexts that follow declarations (clearance-time
analysis) learn when its goods arrived and left the port without reading logistics tables.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class GoodsArrived:
    """The vessel carrying the declaration's bill of lading berthed (or had berthed when the declaration named it)."""

    declaration_id: uuid.UUID
    at: datetime


@dataclass(frozen=True, slots=True)
class GoodsGatedOut:
    """A container of the declaration's bill of lading left the terminal."""

    declaration_id: uuid.UUID
    at: datetime


@dataclass(frozen=True, slots=True)
class ContainerEventRecorded:
    """A terminal or carrier reported what happened to a container (``event`` is a ``PortEventKind`` value).

    Published for each container event recorded, and for each container a vessel's berthing
    or departure moved, whether or not its goods are declared.
    """

    container: str
    event: str
    occurred_at: datetime
    location: str | None
    bill_of_lading: str | None
    imo_number: str | None
    voyage_number: str | None
