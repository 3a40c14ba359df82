"""What payments needs from outside, as Protocols the composition root wires.

``OriginProof`` answers whether a goods item holds a valid proof of origin under an
agreement (a certificate of origin, or an origin declaration). The certificates-of-origin
context will implement it; until then the composition root wires ``NoOriginProof``, so every
item pays the MFN (or provisional) rate.
"""

import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class OriginQuery:
    declaration_id: uuid.UUID
    declarant_uscc: str | None
    seq: int
    hs_code: str
    origin: str
    agreement: str


class OriginProof(Protocol):
    async def proof(self, session: AsyncSession, query: OriginQuery) -> str | None:
        """The number of a valid proof of origin for the item under the agreement, or None."""
        ...


class NoOriginProof:
    """No proof is ever found: the default until certificates of origin are wired in."""

    async def proof(self, session: AsyncSession, query: OriginQuery) -> str | None:
        return None


class ReceiptSigner(Protocol):
    """Signs receipts with the deployment's key (identity's Ed25519 key in the composition root)."""

    @property
    def key_id(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...
