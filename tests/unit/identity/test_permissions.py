"""The role table: roles count only on their own kind of party; scopes and delegations only narrow."""

import uuid

import pytest

from singlewindow.errors import Forbidden
from singlewindow.identity.models import PartyKind
from singlewindow.identity.permissions import (
    DELEGABLE,
    PERMISSIONS,
    ROLE_PARTY,
    ROLE_PERMISSIONS,
    Role,
    ensure,
    permissions_of,
)
from singlewindow.identity.principal import Principal


def principal(kind: PartyKind, *roles: str, **changes: object) -> Principal:
    return Principal(uuid.uuid4(), kind, frozenset(roles), user_id=uuid.uuid4(), **changes)  # type: ignore[arg-type]


def test_every_role_grants_only_known_permissions_and_belongs_to_a_party_kind() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role) == set(ROLE_PARTY)
    for granted in ROLE_PERMISSIONS.values():
        assert granted <= set(PERMISSIONS)


def test_a_role_on_the_wrong_kind_of_party_grants_nothing() -> None:
    assert permissions_of(principal(PartyKind.ENTERPRISE, "operator", "officer")) == frozenset()
    assert permissions_of(principal(PartyKind.AGENCY, "admin")) == frozenset()


def test_the_auditor_reads_and_changes_nothing() -> None:
    granted = permissions_of(principal(PartyKind.OPERATOR, "auditor"))
    assert "declaration:read" in granted
    changing = {"routing:manage", "exchange:operate", "declaration:submit", "api_key:manage", "users:manage"}
    assert not granted & changing


def test_scopes_narrow_and_never_widen() -> None:
    reader = principal(PartyKind.ENTERPRISE, "viewer", scopes=frozenset({"declaration:read", "routing:manage"}))
    assert permissions_of(reader) == {"declaration:read"}


def test_a_broker_acting_for_a_client_holds_only_the_delegable_permissions() -> None:
    broker = principal(PartyKind.ENTERPRISE, "admin", "declarant", broker_party_id=uuid.uuid4())
    assert permissions_of(broker) == DELEGABLE & ROLE_PERMISSIONS[Role.ADMIN]
    assert "declaration:submit" in permissions_of(broker)


def test_ensure_names_the_missing_permission_and_refuses_unknown_ones() -> None:
    with pytest.raises(Forbidden, match="declaration:submit"):
        ensure(principal(PartyKind.ENTERPRISE, "finance"), "declaration:submit")
    with pytest.raises(ValueError, match="unknown permission"):
        ensure(principal(PartyKind.ENTERPRISE, "admin"), "declaration:everything")
