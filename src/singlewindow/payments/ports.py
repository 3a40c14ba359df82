"""What payments needs from outside, as Protocols the composition root wires.

``OriginProof`` checks the certificate of origin a goods item cites: the composition root
implements it with the certificates-of-origin context (``app.OriginCertificates``), which
payments may not import. ``NoOriginProof`` accepts nothing (every item pays the MFN or
provisional rate); tests and deployments without certificates of origin may use it.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class OriginQuery:
    """One goods item's claim: certificate ``number`` proves that ``hs_code`` goods originate in ``origin``."""

    declaration_id: uuid.UUID
    declarant_uscc: str | None
    seq: int
    hs_code: str
    origin: str
    number: str
    quantity: Decimal
    """All the declaration claims under this certificate for the item's subheading, in ``unit``."""
    unit: str


@dataclass(frozen=True, slots=True)
class OriginAnswer:
    """The agreement the certificate proves origin under, or why it proves nothing for this item."""

    agreement: str | None
    reason: str | None = None


class OriginProof(Protocol):
    async def check(self, session: AsyncSession, query: OriginQuery) -> OriginAnswer: ...


class NoOriginProof:
    """Knows no certificate: every claim is refused with that reason."""

    async def check(self, session: AsyncSession, query: OriginQuery) -> OriginAnswer:
        return OriginAnswer(None, f"certificate of origin {query.number} cannot be checked in this deployment")


class ReceiptSigner(Protocol):
    """Signs receipts with the deployment's key (identity's Ed25519 key in the composition root)."""

    @property
    def key_id(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...
