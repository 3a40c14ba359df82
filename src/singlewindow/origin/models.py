"""Applications followed from the core flow, certificates issued and received, and the keys that sign them."""

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


class OriginApplication(Base):
    """An ``origin_certificate_application`` as last submitted, keyed by its declaration id."""

    __tablename__ = "origin_applications"

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(35))
    revision: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column()
    agencies: Mapped[list[Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(IdMixin, CreatedMixin, Base):
    """A certificate this deployment issued; ``content`` is exactly what ``signature`` signs."""

    __tablename__ = "origin_certificates"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    declaration_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    agreement: Mapped[str | None] = mapped_column(String(10), default=None)
    exporting_country: Mapped[str] = mapped_column(String(2))
    importing_country: Mapped[str] = mapped_column(String(2))
    content: Mapped[dict[str, Any]] = mapped_column()
    signature: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[CertificateStatus] = mapped_column(str_enum(CertificateStatus))
    issued_at: Mapped[datetime] = mapped_column()
    valid_until: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_reason: Mapped[str | None] = mapped_column(String(500), default=None)


class ReceivedCertificate(IdMixin, CreatedMixin, Base):
    """An e-CO another single window sent us, kept as received after its signature verified."""

    __tablename__ = "origin_received_certificates"
    __table_args__ = (UniqueConstraint("exporting_country", "number"),)

    number: Mapped[str] = mapped_column(String(40))
    agreement: Mapped[str | None] = mapped_column(String(10), default=None)
    exporting_country: Mapped[str] = mapped_column(String(2))
    importing_country: Mapped[str] = mapped_column(String(2))
    content: Mapped[dict[str, Any]] = mapped_column()
    signature: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column()
    valid_until: Mapped[datetime] = mapped_column()
    xml: Mapped[str] = mapped_column(Text)
    received_by: Mapped[str] = mapped_column(String(80))


class SigningKey(CreatedMixin, Base):
    """One of our certificate signing keys; the newest unretired one signs, every one still verifies."""

    __tablename__ = "origin_signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(default=None)


class TrustedIssuer(CreatedMixin, Base):
    """A foreign issuing body's public key, as its single window published it."""

    __tablename__ = "origin_trusted_issuers"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(80))


class NumberSequence(Base):
    """The last certificate number used under one prefix (issuer country, agreement, year)."""

    __tablename__ = "origin_number_sequences"

    prefix: Mapped[str] = mapped_column(String(30), primary_key=True)
    last: Mapped[int] = mapped_column()


class CertificateUse(Base):
    """The one declaration a certificate of origin earned a preference for (一证一单: one certificate, one declaration).

    Written when the treasury accepts the certificate for an import; released when that
    declaration is cancelled, so the certificate can serve the declaration filed instead.
    """

    __tablename__ = "origin_certificate_uses"

    exporting_country: Mapped[str] = mapped_column(String(2), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    declaration_id: Mapped[uuid.UUID] = mapped_column(index=True)
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
