"""One user per role on the demo parties, for the authorization tests."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from support.accounts import PASSWORD, ROLE_ACCOUNTS, Accounts
from typer.testing import CliRunner, Result

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.cli import app as command
from singlewindow.identity import repository as identities
from singlewindow.identity.credentials import hash_password
from singlewindow.identity.models import PartyKind, User
from singlewindow.settings import Settings, get_settings

HASH = hash_password(PASSWORD)
"""Hashed once: the matrix mints tokens and never signs in with a password."""


@pytest.fixture
async def accounts(app: FastAPI) -> Accounts:
    platform: Platform = app.state.platform
    users: dict[str, User] = {}
    async with platform.sessions() as session:
        operator = await identities.user_by_username(session, demo.DEMO_OPERATOR)
        assert operator is not None
        parties: dict[str, Any] = {
            "enterprise": await identities.party_by_uscc(session, demo.DEMO_TRADER_USCC),
            "customs": await identities.party_by_agency(session, "customs"),
            "operator": await identities.party(session, operator.party_id),
        }
        for role, (where, roles) in ROLE_ACCOUNTS.items():
            users[role] = User(party_id=parties[where].id, username=f"matrix-{role}", password_hash=HASH, roles=roles)
            session.add(users[role])
        await session.commit()
    assert parties["operator"].kind is PartyKind.OPERATOR
    return Accounts(app, users)


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``await cli(args)`` runs ``singlewindow`` on the test database, in a thread (it runs its own loop)."""
    monkeypatch.setenv("SW_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SW_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    runner = CliRunner()

    async def invoke(*args: str) -> Result:
        result = await asyncio.to_thread(runner.invoke, command, list(args))
        assert result.exit_code == 0, result.output
        return result

    yield invoke
    get_settings.cache_clear()
