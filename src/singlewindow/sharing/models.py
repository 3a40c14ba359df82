"""Data classes, access requests, grants, the store of shared records and the access log.

The store (``sharing_records`` and their facets) is this context's own copy of what is
published, filled by event handlers in the publishing transaction, so a subscriber's query
never reads another context's tables.
"""

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum


class Source(enum.StrEnum):
    """Where a data class's records come from."""

    RELEASED_DECLARATIONS = "released_declarations"
    """Declarations of the class's document types, from the moment they are released."""
    ENTERPRISE_CREDIT = "enterprise_credit"
    """Enterprise credit levels (identity), as the customs agency sets them."""
    CONTAINER_EVENTS = "container_events"
    """What terminals and carriers report of containers (logistics), from the moment a class publishes them."""
    RISK_FINDINGS = "risk_findings"
    """The publishing agency's risk decisions on declarations (inspect, reject, inspection results), per enterprise."""


_SOURCE = Enum(Source, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


class Channel(enum.StrEnum):
    QUERY = "query"
    PUSH = "push"


class DataClass(IdMixin, CreatedMixin, Base):
    """What one agency publishes: a source and the catalogue data elements its records carry."""

    __tablename__ = "sharing_data_classes"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(1000))
    publisher: Mapped[str] = mapped_column(String(40), index=True)
    source: Mapped[Source] = mapped_column(_SOURCE)
    document_types: Mapped[list[Any]] = mapped_column(default=list)
    elements: Mapped[list[Any]] = mapped_column(default=list)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Per document type, the ``[path, element]`` pairs of the canonical document the class carries."""
    published_by: Mapped[str] = mapped_column(String(80))


class AccessRequest(IdMixin, CreatedMixin, Base):
    __tablename__ = "sharing_requests"

    data_class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_data_classes.id"), index=True)
    requester: Mapped[str] = mapped_column(String(40), index=True)
    purpose: Mapped[str] = mapped_column(String(1000))
    elements: Mapped[list[Any]] = mapped_column(default=list)
    push: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus), default=RequestStatus.PENDING)
    requested_by: Mapped[str] = mapped_column(String(80))
    decided_by: Mapped[str | None] = mapped_column(String(80), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)


class Grant(IdMixin, CreatedMixin, Base):
    """The scope a publisher granted: elements, filters on the records, push or not, and until when."""

    __tablename__ = "sharing_grants"
    __table_args__ = (Index("ix_sharing_grants_class_subscriber", "data_class_id", "subscriber"),)

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_requests.id"), index=True)
    data_class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_data_classes.id"))
    subscriber: Mapped[str] = mapped_column(String(40), index=True)
    elements: Mapped[list[Any]] = mapped_column(default=list)
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    push: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime]
    granted_by: Mapped[str] = mapped_column(String(80))
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[str | None] = mapped_column(String(80), default=None)
    revoke_reason: Mapped[str | None] = mapped_column(String(500), default=None)

    def is_live(self, now: datetime) -> bool:
        """Revoked or expired grants stop working at once: every use checks this, nothing waits for a sweep."""
        return self.revoked_at is None and self.expires_at > now


class SharedRecord(IdMixin, CreatedMixin, Base):
    """One published record (a declaration, a credit level, a container event, a risk finding), whole."""

    __tablename__ = "sharing_records"
    __table_args__ = (
        UniqueConstraint("source", "subject_key"),
        Index("ix_sharing_records_available", "source", "available", "available_at"),
    )

    source: Mapped[Source] = mapped_column(_SOURCE)
    subject_key: Mapped[str] = mapped_column(String(64))
    """The source's key (declaration id, USCC, or a name-based UUID of the event); never shown to subscribers."""
    document_type: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    available: Mapped[bool] = mapped_column(default=False)
    """False while a declaration awaits release: only released records are shared."""
    available_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordFacet(Base):
    """A value grant filters test (trade mode, port, credit level ...), one row per value."""

    __tablename__ = "sharing_record_facets"
    __table_args__ = (Index("ix_sharing_record_facets_lookup", "name", "value", "record_id"),)

    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_records.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)


class Delivery(IdMixin, CreatedMixin, Base):
    """One record revision pushed under one grant: pushing it again changes nothing."""

    __tablename__ = "sharing_deliveries"
    __table_args__ = (UniqueConstraint("grant_id", "record_id", "revision"),)

    grant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_grants.id"))
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_records.id"))
    revision: Mapped[int]
    message_id: Mapped[uuid.UUID]


class AccessLogEntry(IdMixin, Base):
    """Every query, push and refused attempt, for the publisher to see."""

    __tablename__ = "sharing_access_log"
    __table_args__ = (Index("ix_sharing_access_log_publisher_at", "publisher", "at"),)

    at: Mapped[datetime] = mapped_column(default=utcnow)
    data_class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sharing_data_classes.id"), index=True)
    publisher: Mapped[str] = mapped_column(String(40))
    subscriber: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(80))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    granted: Mapped[bool]
    grant_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    records: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(200), default=None)
