"""Who may do what: the one table of roles and permissions every route and service checks.

A route declares the permission it needs (``requires`` in dependencies.py), services check
the same table with ``ensure``; nothing else decides. A role counts only on the kind of
party it belongs to, so an enterprise user called "operator" is still nobody special.
"""

import enum
from types import MappingProxyType

from singlewindow.errors import Forbidden
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal


class Role(enum.StrEnum):
    ADMIN = "admin"
    DECLARANT = "declarant"
    FINANCE = "finance"
    VIEWER = "viewer"
    OFFICER = "officer"
    OPERATOR = "operator"
    AUDITOR = "auditor"


PERMISSIONS = MappingProxyType(
    {
        "profile:read": "see one's own account, party and credit level",
        "account:manage": "enrol TOTP, sign out everywhere",
        "users:manage": "add users to one's enterprise, revoke their sessions",
        "api_key:manage": "create, list and revoke API clients",
        "delegation:read": "see delegations granted by or to one's enterprise",
        "delegation:manage": "grant and revoke a customs broker's delegation",
        "qualification:read": "see qualifications",
        "qualification:apply": "apply for a qualification",
        "declaration:read": "read declarations one may see",
        "declaration:submit": "submit, amend and cancel declarations",
        "webhook:read": "list webhooks",
        "webhook:manage": "subscribe and unsubscribe webhooks",
        "routing:read": "read the routing rule table",
        "routing:manage": "replace the routing rule table",
        "exchange:inbound": "send agency messages (decisions) to the platform",
        "exchange:read": "see dead letters, exchange health and counterparties",
        "exchange:operate": "replay messages, configure counterparties",
        "credit:set": "change an enterprise's credit level (customs only)",
        "audit:verify": "seal and recompute the audit hash chain",
        "sharing:read": "see the data sharing catalogue and grants",
        "sharing:publish": "publish data classes, grant, refuse and revoke access to them",
        "sharing:subscribe": "request access to data classes and query what is granted",
        "sharing:log": "see the access log of shared data",
        "analytics:read": "see statistics and clearance times: an enterprise its own, an agency its own agency's",
        "licence:read": "see one's licences (agencies and the operator: every licence) and verify them online",
        "licence:issue": "issue and revoke licences (the issuing agency's officers)",
        "origin:read": "see certificates of origin (an enterprise its own) and received e-COs",
        "origin:manage": "revoke certificates of origin, rotate their key, trust issuers, register received e-COs",
        "refund:read": "see export tax refund applications, purchase invoices and refundable exports",
        "refund:prepare": "record purchase invoices and pre-fill export tax refund applications",
        "logistics:read": "track containers and bills of lading one has a stake in; see notices and permits",
        "logistics:subscribe": "subscribe to a container's or bill of lading's events",
        "payment:read": "see duty assessments, payment orders and receipts",
        "payment:pay": "pay a payment order or lodge a guarantee for it",
        "payment:operate": "load customs exchange rates, publish port charges, steer the simulated bank",
    }
)

_READ = frozenset({"profile:read", "account:manage", "routing:read", "analytics:read", "licence:read"})
ROLE_PERMISSIONS: MappingProxyType[Role, frozenset[str]] = MappingProxyType(
    {
        Role.ADMIN: _READ
        | {
            "users:manage",
            "api_key:manage",
            "delegation:read",
            "delegation:manage",
            "qualification:read",
            "qualification:apply",
            "declaration:read",
            "declaration:submit",
            "webhook:read",
            "webhook:manage",
            "payment:read",
            "payment:pay",
        }
        | {"origin:read", "refund:read", "refund:prepare"}
        | {"logistics:read", "logistics:subscribe"},
        Role.DECLARANT: _READ
        | {"delegation:read", "qualification:read", "declaration:read", "declaration:submit", "webhook:read"}
        | {"origin:read", "refund:read", "refund:prepare"}
        | {"logistics:read", "logistics:subscribe"}
        | {"payment:read", "payment:pay"},
        Role.FINANCE: _READ
        | {"qualification:read", "declaration:read"}
        | {"origin:read", "refund:read", "refund:prepare"}
        | {"payment:read", "payment:pay"},
        Role.VIEWER: _READ
        | {"delegation:read", "qualification:read", "declaration:read", "webhook:read"}
        | {"origin:read", "refund:read"}
        | {"logistics:read"}
        | {"payment:read"},
        Role.OFFICER: _READ
        | {"declaration:read", "exchange:inbound", "credit:set", "licence:issue"}
        | {"sharing:read", "sharing:publish", "sharing:subscribe", "sharing:log"}
        | {"origin:read", "origin:manage"},
        Role.OPERATOR: _READ
        | {
            "api_key:manage",
            "qualification:read",
            "declaration:read",
            "routing:manage",
            "exchange:read",
            "exchange:operate",
            "audit:verify",
            "sharing:read",
            "sharing:log",
            "payment:read",
            "payment:operate",
        }
        | {"origin:read", "origin:manage", "refund:read"}
        | {"logistics:read"},
        Role.AUDITOR: _READ
        | {"qualification:read", "declaration:read", "exchange:read", "audit:verify", "payment:read"}
        | {"sharing:read", "sharing:log"}
        | {"origin:read", "refund:read"}
        | {"logistics:read"},
    }
)
ROLE_PARTY = MappingProxyType(
    {
        Role.ADMIN: PartyKind.ENTERPRISE,
        Role.DECLARANT: PartyKind.ENTERPRISE,
        Role.FINANCE: PartyKind.ENTERPRISE,
        Role.VIEWER: PartyKind.ENTERPRISE,
        Role.OFFICER: PartyKind.AGENCY,
        Role.OPERATOR: PartyKind.OPERATOR,
        Role.AUDITOR: PartyKind.OPERATOR,
    }
)
DELEGABLE = frozenset({"profile:read", "declaration:read", "declaration:submit", "qualification:read"})
"""What a customs broker may do in its client's name; everything else stays with the client."""
TOTP_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.OPERATOR})
"""Roles whose users must enrol a second factor when the deployment requires it."""


def permissions_of(principal: Principal) -> frozenset[str]:
    granted: set[str] = set()
    for name in principal.roles:
        role = Role.__members__.get(name.upper())
        if role is not None and ROLE_PARTY[role] is principal.party_kind:
            granted |= ROLE_PERMISSIONS[role]
    if principal.broker_party_id is not None:
        granted &= DELEGABLE
    if principal.scopes is not None:
        granted &= principal.scopes
    return frozenset(granted)


def allowed(principal: Principal, permission: str) -> bool:
    return permission in permissions_of(principal)


def ensure(principal: Principal, permission: str) -> None:
    """Refuse unless the principal holds the permission; the check every route and service shares."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if not allowed(principal, permission):
        raise Forbidden(f"this needs the {permission!r} permission ({PERMISSIONS[permission]})")
