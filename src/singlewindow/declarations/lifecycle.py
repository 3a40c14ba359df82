"""The declaration lifecycle as pure functions: agency task transitions and consolidation.

No I/O here, so every rule of "one inspection, one release" is testable on its own.
"""

import enum
from collections.abc import Iterable


class DeclarationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    INSPECTION = "inspection"
    RELEASED = "released"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class TaskStatus(enum.StrEnum):
    PENDING = "pending"
    IN_REVIEW = "in_review"
    INSPECTION = "inspection"
    RELEASED = "released"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AgencyAction(enum.StrEnum):
    DELIVERED = "delivered"
    RELEASE = "release"
    INSPECT = "inspect"
    REJECT = "reject"
    INSPECTION_PASSED = "inspection_passed"
    INSPECTION_FAILED = "inspection_failed"


_DECIDE = {
    AgencyAction.RELEASE: TaskStatus.RELEASED,
    AgencyAction.INSPECT: TaskStatus.INSPECTION,
    AgencyAction.REJECT: TaskStatus.REJECTED,
    AgencyAction.INSPECTION_PASSED: TaskStatus.RELEASED,
    AgencyAction.INSPECTION_FAILED: TaskStatus.REJECTED,
}

_TRANSITIONS: dict[TaskStatus, dict[AgencyAction, TaskStatus]] = {
    TaskStatus.PENDING: {AgencyAction.DELIVERED: TaskStatus.IN_REVIEW, **_DECIDE},
    TaskStatus.IN_REVIEW: dict(_DECIDE),
    TaskStatus.INSPECTION: {
        AgencyAction.RELEASE: TaskStatus.RELEASED,
        AgencyAction.REJECT: TaskStatus.REJECTED,
        AgencyAction.INSPECTION_PASSED: TaskStatus.RELEASED,
        AgencyAction.INSPECTION_FAILED: TaskStatus.REJECTED,
    },
}

AMENDABLE = frozenset(
    {DeclarationStatus.SUBMITTED, DeclarationStatus.IN_REVIEW, DeclarationStatus.INSPECTION, DeclarationStatus.REJECTED}
)
CANCELLABLE = AMENDABLE
FINAL = frozenset({DeclarationStatus.RELEASED, DeclarationStatus.CANCELLED})


def next_task_status(current: TaskStatus, action: AgencyAction) -> TaskStatus | None:
    """The task's status after ``action``, or None when the action does not apply now."""
    return _TRANSITIONS.get(current, {}).get(action)


def consolidate(statuses: Iterable[TaskStatus]) -> DeclarationStatus:
    """One status for the trader from every required agency's status.

    Any rejection rejects; otherwise any inspection means one joint inspection; release
    only when every agency released.
    """
    active = [s for s in statuses if s is not TaskStatus.WITHDRAWN]
    if any(s is TaskStatus.REJECTED for s in active):
        return DeclarationStatus.REJECTED
    if any(s is TaskStatus.INSPECTION for s in active):
        return DeclarationStatus.INSPECTION
    if active and all(s is TaskStatus.RELEASED for s in active):
        return DeclarationStatus.RELEASED
    if any(s is not TaskStatus.PENDING for s in active):
        return DeclarationStatus.IN_REVIEW
    return DeclarationStatus.SUBMITTED
