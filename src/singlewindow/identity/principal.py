"""Who is acting: the one object every service and repository authorizes against."""

import uuid
from dataclasses import dataclass, field

from singlewindow.identity.models import PartyKind


@dataclass(frozen=True, slots=True)
class Principal:
    party_id: uuid.UUID
    party_kind: PartyKind
    roles: frozenset[str] = field(default_factory=frozenset)
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    agency: str | None = None
    scopes: frozenset[str] | None = None
    """An OAuth2 client-credentials token narrows its key's permissions to these; None narrows nothing."""
    broker_party_id: uuid.UUID | None = None
    """Set when a customs broker acts for the client ``party_id`` under a delegation."""
    issuer: str | None = None
    """Set when the caller signed in at a trusted peer deployment rather than here."""

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        if self.issuer:
            return f"federated-user:{self.user_id}"
        if self.user_id:
            return f"user:{self.user_id}"
        return f"api-key:{self.api_key_id}"

    @property
    def is_operator(self) -> bool:
        return self.party_kind is PartyKind.OPERATOR

    @property
    def is_enterprise(self) -> bool:
        return self.party_kind is PartyKind.ENTERPRISE
