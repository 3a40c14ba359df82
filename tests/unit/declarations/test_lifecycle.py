"""The lifecycle's pure rules: how an agency task moves, and one status from many agencies."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.declarations.lifecycle import (
    AMENDABLE,
    CANCELLABLE,
    FINAL,
    AgencyAction,
    DeclarationStatus,
    TaskStatus,
    consolidate,
    next_task_status,
)

A, T, D = AgencyAction, TaskStatus, DeclarationStatus

ALLOWED: dict[tuple[TaskStatus, AgencyAction], TaskStatus] = {
    (T.PENDING, A.DELIVERED): T.IN_REVIEW,
    (T.PENDING, A.RELEASE): T.RELEASED,
    (T.PENDING, A.INSPECT): T.INSPECTION,
    (T.PENDING, A.REJECT): T.REJECTED,
    (T.PENDING, A.INSPECTION_PASSED): T.RELEASED,
    (T.PENDING, A.INSPECTION_FAILED): T.REJECTED,
    (T.IN_REVIEW, A.RELEASE): T.RELEASED,
    (T.IN_REVIEW, A.INSPECT): T.INSPECTION,
    (T.IN_REVIEW, A.REJECT): T.REJECTED,
    (T.IN_REVIEW, A.INSPECTION_PASSED): T.RELEASED,
    (T.IN_REVIEW, A.INSPECTION_FAILED): T.REJECTED,
    (T.INSPECTION, A.RELEASE): T.RELEASED,
    (T.INSPECTION, A.REJECT): T.REJECTED,
    (T.INSPECTION, A.INSPECTION_PASSED): T.RELEASED,
    (T.INSPECTION, A.INSPECTION_FAILED): T.REJECTED,
}
"""The whole transition table: a decision may overtake the delivery receipt (messages race)."""


@pytest.mark.parametrize(("current", "action"), list(ALLOWED), ids=str)
def test_every_transition_in_the_table(current: TaskStatus, action: AgencyAction) -> None:
    assert next_task_status(current, action) is ALLOWED[(current, action)]


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (T.IN_REVIEW, A.DELIVERED),
        (T.INSPECTION, A.DELIVERED),
        (T.INSPECTION, A.INSPECT),
        (T.RELEASED, A.REJECT),
        (T.REJECTED, A.RELEASE),
        (T.WITHDRAWN, A.RELEASE),
    ],
    ids=str,
)
def test_actions_that_do_not_apply_now_are_refused(current: TaskStatus, action: AgencyAction) -> None:
    assert next_task_status(current, action) is None


@pytest.mark.parametrize("current", [T.RELEASED, T.REJECTED, T.WITHDRAWN])
def test_a_decided_or_withdrawn_task_moves_no_more(current: TaskStatus) -> None:
    assert all(next_task_status(current, action) is None for action in AgencyAction)


def test_the_table_has_no_other_transitions() -> None:
    possible = {
        (current, action): after
        for current in TaskStatus
        for action in AgencyAction
        if (after := next_task_status(current, action)) is not None
    }
    assert possible == ALLOWED


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([T.REJECTED, T.INSPECTION, T.RELEASED], D.REJECTED),
        ([T.PENDING, T.REJECTED], D.REJECTED),
        ([T.IN_REVIEW, T.INSPECTION], D.INSPECTION),
        ([T.RELEASED, T.INSPECTION], D.INSPECTION),
        ([T.RELEASED, T.RELEASED], D.RELEASED),
        ([T.RELEASED, T.IN_REVIEW], D.IN_REVIEW),
        ([T.RELEASED, T.PENDING], D.IN_REVIEW),
        ([T.RELEASED, T.WITHDRAWN], D.RELEASED),
        ([T.REJECTED, T.WITHDRAWN], D.REJECTED),
        ([T.PENDING, T.PENDING], D.SUBMITTED),
        ([T.PENDING, T.WITHDRAWN], D.SUBMITTED),
        ([T.WITHDRAWN], D.SUBMITTED),
        ([], D.SUBMITTED),
    ],
    ids=lambda v: "+".join(v) if isinstance(v, list) else str(v),
)
def test_consolidation(statuses: list[TaskStatus], expected: DeclarationStatus) -> None:
    assert consolidate(statuses) is expected


def test_consolidation_takes_any_iterable() -> None:
    assert consolidate(s for s in [T.RELEASED, T.RELEASED]) is D.RELEASED


def test_the_statuses_a_trader_may_still_change() -> None:
    assert AMENDABLE == CANCELLABLE == {D.SUBMITTED, D.IN_REVIEW, D.INSPECTION, D.REJECTED}
    assert frozenset({D.RELEASED, D.CANCELLED}) == FINAL
    assert not AMENDABLE & FINAL


@given(st.lists(st.sampled_from(TaskStatus), min_size=1, max_size=8))
def test_released_only_when_every_active_agency_released_rejected_when_any_rejected(
    statuses: list[TaskStatus],
) -> None:
    active = [s for s in statuses if s is not T.WITHDRAWN]
    status = consolidate(statuses)
    assert (status is D.RELEASED) == (bool(active) and all(s is T.RELEASED for s in active))
    assert (status is D.REJECTED) == (T.REJECTED in statuses)
    assert (status is D.INSPECTION) == (T.REJECTED not in statuses and T.INSPECTION in statuses)
    assert status is not D.CANCELLED
