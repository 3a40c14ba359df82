"""Accounts for every role and tokens minted for them as the token endpoint would (identity tests)."""

from dataclasses import dataclass

import httpx
from fastapi import FastAPI

from singlewindow.app import Platform
from singlewindow.identity import keys
from singlewindow.identity import repository as identities
from singlewindow.identity.credentials import issue_token
from singlewindow.identity.models import User
from singlewindow.identity.principal import Principal

PASSWORD = "a long enough passphrase"
ROLE_ACCOUNTS = {
    "admin": ("enterprise", ["admin"]),
    "declarant": ("enterprise", ["declarant"]),
    "finance": ("enterprise", ["finance"]),
    "viewer": ("enterprise", ["viewer"]),
    "officer": ("customs", ["officer"]),
    "operator": ("operator", ["operator"]),
    "auditor": ("operator", ["auditor"]),
}


@dataclass
class Accounts:
    """One user per role; ``headers(role)`` mints a token valid for the user as it is now."""

    app: FastAPI
    users: dict[str, User]

    async def headers(self, role: str) -> dict[str, str]:
        platform: Platform = self.app.state.platform
        async with platform.sessions() as session:
            user = await identities.user(session, self.users[role].id)
            assert user is not None
            party = await identities.party(session, user.party_id)
            assert party is not None
        principal = Principal(
            party_id=party.id,
            party_kind=party.kind,
            roles=frozenset(user.roles),
            user_id=user.id,
            agency=party.agency_code,
        )
        settings = self.app.state.settings
        token = issue_token(
            principal,
            keys.load(settings),
            issuer=settings.public_url.rstrip("/"),
            ttl_seconds=300,
            version=user.token_version,
            uscc=party.uscc,
        )
        return {"Authorization": f"Bearer {token}"}


async def sign_in(client: httpx.AsyncClient, username: str, password: str, **form: str) -> httpx.Response:
    return await client.post("/api/v1/auth/token", data={"username": username, "password": password, **form})
