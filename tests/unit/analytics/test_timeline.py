"""The fold from events to summary increments: each outcome and interval counts once; the final state holds the sum."""

import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.analytics.timeline import (
    RECORDABLE,
    State,
    agency_decided,
    facts_of,
    milestone,
    replay,
    status_changed,
    submitted,
    totals,
)

T0 = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
PARTY = uuid.UUID(int=7)
DATA = {"port_of_loading": "DEHAM", "port_of_discharge": "CNSGH", "trade_mode": "0110", "country": "DE"}


def test_the_domestic_port_is_where_imports_discharge_and_exports_load() -> None:
    assert facts_of(PARTY, "cargo_declaration", "import", DATA, T0).port == "CNSGH"
    assert facts_of(PARTY, "cargo_declaration", "export", DATA, T0).port == "DEHAM"
    assert facts_of(PARTY, "vessel_movement", "A", {"port_of_call": "CNNGB"}, T0).port == "CNNGB"
    assert facts_of(PARTY, "other", "x", {}, T0).port == "-"


def test_a_declaration_counts_on_its_calendar_day_in_the_reporting_zone() -> None:
    evening = datetime(2026, 3, 14, 20, 30, tzinfo=UTC)
    assert facts_of(PARTY, "cargo_declaration", "import", DATA, evening).day == date(2026, 3, 14)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert facts_of(PARTY, "cargo_declaration", "import", DATA, evening, shanghai).day == date(2026, 3, 15)
    state, _ = replay(PARTY, "cargo_declaration", "import", DATA, [(evening, "submitted", (1, ()))], shanghai)
    assert state.facts is not None
    assert state.facts.day == date(2026, 3, 15)


def test_a_second_inspection_or_amendment_is_not_counted_again() -> None:
    state = State()
    facts = facts_of(PARTY, "cargo_declaration", "import", DATA, T0)
    first = submitted(state, facts, 1, ("customs", "maritime"), T0)
    assert first.counts[("all", "*", "declarations")] == 1
    assert first.counts[("agency", "customs", "declarations")] == 1
    assert status_changed(state, "inspection", T0).counts[("port", "CNSGH", "inspected")] == 1
    assert not status_changed(state, "inspection", T0).counts
    assert submitted(state, facts, 2, ("customs",), T0).counts[("agency", "customs", "amended")] == 1
    assert not submitted(state, facts, 3, ("customs",), T0).counts


def test_intervals_wait_for_the_submission_and_are_recorded_once() -> None:
    state = State()
    assert not milestone(state, "arrival", T0).durations
    facts = facts_of(PARTY, "cargo_declaration", "import", DATA, T0 + timedelta(hours=1))
    on_submission = submitted(state, facts, 1, ("customs",), T0 + timedelta(hours=1))
    assert on_submission.durations == [("arrival_to_submission", "*", 3600.0)]
    decided = agency_decided(state, "customs", "released", T0 + timedelta(hours=2))
    assert ("submission_to_decision", "customs", 3600.0) in decided.durations
    assert ("submission_to_decision", "*", 3600.0) in decided.durations
    released = status_changed(state, "released", T0 + timedelta(hours=3))
    assert {i for i, _, _ in released.durations} == {
        "decision_to_release",
        "submission_to_release",
        "arrival_to_release",
    }
    assert not status_changed(state, "released", T0 + timedelta(hours=4)).durations
    assert milestone(state, "gate_out", T0 + timedelta(hours=5)).durations == [
        ("release_to_gate_out", "*", 7200.0),
        ("arrival_to_gate_out", "*", 18000.0),
    ]


def test_the_declaration_is_decided_when_every_active_agency_has_decided() -> None:
    state = State()
    submitted(state, facts_of(PARTY, "cargo_declaration", "import", DATA, T0), 1, ("customs", "maritime"), T0)
    assert "decided" not in state.at
    agency_decided(state, "customs", "inspection", T0 + timedelta(minutes=5))
    agency_decided(state, "customs", "released", T0 + timedelta(minutes=50))
    assert state.agencies["customs"]["decided_at"] == (T0 + timedelta(minutes=5)).isoformat()
    agency_decided(state, "maritime", "released", T0 + timedelta(minutes=9))
    assert state.at["decided"] == T0 + timedelta(minutes=9)


AGENCIES = ("customs", "maritime", "inspection_quarantine")
steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10**6),
        st.one_of(
            st.tuples(
                st.just("submitted"),
                st.tuples(st.integers(min_value=1, max_value=3), st.sets(st.sampled_from(AGENCIES)).map(tuple)),
            ),
            st.tuples(
                st.just("decided"),
                st.tuples(st.sampled_from(AGENCIES), st.sampled_from(["inspection", "rejected", "released", "x"])),
            ),
            st.tuples(
                st.just("status"), st.tuples(st.sampled_from(["inspection", "rejected", "released", "cancelled"]))
            ),
            st.tuples(st.just("milestone"), st.tuples(st.sampled_from(sorted(RECORDABLE)))),
        ),
    ),
    max_size=14,
)


@given(steps)
def test_a_final_state_holds_the_sum_of_every_increment_on_the_way(
    timeline: list[tuple[int, tuple[str, tuple[Any, ...]]]],
) -> None:
    events = [(T0 + timedelta(seconds=s), kind, args) for s, (kind, args) in timeline]
    state, increments = replay(PARTY, "cargo_declaration", "import", DATA, events)
    counts: Counter[tuple[str, str, str]] = Counter()
    durations: Counter[tuple[str, str, float]] = Counter()
    for inc in increments:
        counts.update(inc.counts)
        durations.update(inc.durations)
    whole = totals(state)
    assert +whole.counts == +counts
    assert Counter(whole.durations) == durations
