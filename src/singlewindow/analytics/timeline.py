"""The fold from one declaration's events to summary increments (pure, no I/O).

The event handlers, ``analytics rebuild`` and the bench generator all run these functions,
so a summary rebuilt from timelines equals the one maintained live.

Counting rules (every rate is a sum of these, so any grouping adds up):
- a declaration counts once, on the day of its first submission (a calendar day in the
  deployment's reporting zone), under the port, trade mode and country of its first revision;
- ``amended``, ``inspected``, ``rejected``, ``released``, ``cancelled`` count a declaration
  at most once each, on its submission day (a cohort: "of March's declarations, how many
  were inspected"), however many times it happens;
- under the ``agency`` dimension a row counts the declarations routed to that agency and
  that agency's own decisions (its inspections, rejections and releases).
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

MEASURES = ("declarations", "amended", "inspected", "rejected", "released", "cancelled")
DIMENSIONS = ("all", "agency", "port", "trade_mode", "country")
UNKNOWN = "-"
SHARDS = 4

MILESTONES = ("arrival", "submitted", "decided", "payment", "released", "gate_out")
RECORDABLE = frozenset({"arrival", "payment", "gate_out"})
"""Milestones other contexts record (``service.record_milestone``); the rest follow declaration events."""
INTERVALS: dict[str, tuple[str, str]] = {
    "arrival_to_submission": ("arrival", "submitted"),
    "submission_to_decision": ("submitted", "decided"),
    "decision_to_payment": ("decided", "payment"),
    "payment_to_release": ("payment", "released"),
    "decision_to_release": ("decided", "released"),
    "release_to_gate_out": ("released", "gate_out"),
    "submission_to_release": ("submitted", "released"),
    "arrival_to_release": ("arrival", "released"),
    "arrival_to_gate_out": ("arrival", "gate_out"),
}
STEPS = ("arrival_to_submission", "submission_to_decision", "decision_to_release", "release_to_gate_out")
"""Consecutive steps that partition arrival → gate-out; the one with the largest median dominates."""
AGENCY_INTERVAL = "submission_to_decision"
"""The one interval kept per agency too: from submission to that agency's first decision."""
_STATUS_MEASURE = {"inspection": "inspected", "rejected": "rejected", "released": "released", "cancelled": "cancelled"}


@dataclass(frozen=True, slots=True)
class Facts:
    """What a declaration is counted under."""

    party_id: uuid.UUID
    document_type: str
    type: str
    day: date
    port: str
    trade_mode: str
    country: str


def facts_of(
    party_id: uuid.UUID, document_type: str, type_: str, data: dict[str, Any], at: datetime, zone: tzinfo = UTC
) -> Facts:
    """The domestic port is where an import is discharged or an export loaded; other documents name their port.

    The day is the calendar day of ``at`` in the deployment's reporting ``zone``.
    """
    loading, discharge = data.get("port_of_loading"), data.get("port_of_discharge")
    port = (loading or discharge) if type_ == "export" else (discharge or loading)
    port = port or data.get("port_of_call") or data.get("port")
    return Facts(
        party_id=party_id,
        document_type=document_type,
        type=type_,
        day=at.astimezone(zone).date(),
        port=str(port or UNKNOWN)[:40],
        trade_mode=str(data.get("trade_mode") or UNKNOWN)[:40],
        country=str(data.get("country") or UNKNOWN)[:40],
    )


@dataclass
class State:
    """One declaration as analytics keeps it (mirrors a ``Milestones`` row)."""

    facts: Facts | None = None
    at: dict[str, datetime] = field(default_factory=dict)
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    """agency -> {"decided_at": iso str | None, "counted": [measure, ...], "active": bool}"""
    counted: set[str] = field(default_factory=set)


@dataclass
class Increments:
    """What one event adds to the summaries."""

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(dimension, value, measure) -> n, under the declaration's facts"""
    durations: list[tuple[str, str, float]] = field(default_factory=list)
    """(interval, agency or ALL, seconds)"""

    def declaration(self, facts: Facts, measure: str) -> None:
        for dimension, value in (
            ("all", "*"),
            ("port", facts.port),
            ("trade_mode", facts.trade_mode),
            ("country", facts.country),
        ):
            self.counts[(dimension, value, measure)] += 1

    def agency(self, agency: str, measure: str) -> None:
        self.counts[("agency", agency, measure)] += 1


def shard_of(declaration_id: uuid.UUID) -> int:
    return declaration_id.int % SHARDS


def submitted(state: State, facts: Facts, revision: int, agencies: tuple[str, ...], at: datetime) -> Increments:
    """A first submission counts the declaration; a later revision counts an amendment once."""
    out = Increments()
    if revision == 1 or state.facts is None:
        if state.facts is not None:
            return out
        state.facts = facts
        out.declaration(facts, "declarations")
        _route(state, agencies, out)
        _reached(state, "submitted", at, out)
        _all_known_intervals(state, out)
        return out
    if "amended" not in state.counted:
        state.counted.add("amended")
        out.declaration(state.facts, "amended")
        for agency, track in state.agencies.items():
            if agency in agencies:
                _count_agency(track, agency, "amended", out)
    _route(state, agencies, out)
    return out


def _route(state: State, agencies: tuple[str, ...], out: Increments) -> None:
    for track in state.agencies.values():
        track["active"] = False
    for agency in agencies:
        if agency not in state.agencies:
            state.agencies[agency] = {"decided_at": None, "counted": []}
            out.agency(agency, "declarations")
        state.agencies[agency]["active"] = True


def _count_agency(track: dict[str, Any], agency: str, measure: str, out: Increments) -> None:
    if measure not in track["counted"]:
        track["counted"] = [*track["counted"], measure]
        out.agency(agency, measure)


def agency_decided(state: State, agency: str, status: str, at: datetime) -> Increments:
    """An agency's first decision is its milestone; once every active agency has decided, so is the declaration's."""
    out = Increments()
    track = state.agencies.get(agency)
    if state.facts is None or track is None:
        return out
    if status in _STATUS_MEASURE:
        _count_agency(track, agency, _STATUS_MEASURE[status], out)
    if track["decided_at"] is None:
        track["decided_at"] = at.isoformat()
        submitted_at = state.at.get("submitted")
        if submitted_at is not None:
            out.durations.append((AGENCY_INTERVAL, agency, (at - submitted_at).total_seconds()))
    if all(t["decided_at"] for t in state.agencies.values() if t.get("active")):
        _reached(state, "decided", at, out)
    return out


def status_changed(state: State, status: str, at: datetime) -> Increments:
    out = Increments()
    measure = _STATUS_MEASURE.get(status)
    if state.facts is None or measure is None:
        return out
    if measure not in state.counted:
        state.counted.add(measure)
        out.declaration(state.facts, measure)
    if status == "released":
        _reached(state, "released", at, out)
    return out


def milestone(state: State, name: str, at: datetime) -> Increments:
    """A milestone another context recorded; intervals wait for the submission if it has not come yet."""
    out = Increments()
    _reached(state, name, at, out)
    return out


def _reached(state: State, name: str, at: datetime, out: Increments) -> None:
    """Record a milestone the first time only, and every interval it completes."""
    if name in state.at:
        return
    state.at[name] = at
    if state.facts is None:
        return
    for interval, (start, end) in INTERVALS.items():
        if name in (start, end) and start in state.at and end in state.at and name != "submitted":
            out.durations.append((interval, "*", (state.at[end] - state.at[start]).total_seconds()))


def _all_known_intervals(state: State, out: Increments) -> None:
    """On submission, the intervals between milestones that were waiting for it."""
    for interval, (start, end) in INTERVALS.items():
        if start in state.at and end in state.at:
            out.durations.append((interval, "*", (state.at[end] - state.at[start]).total_seconds()))


Step = tuple[datetime, str, tuple[Any, ...]]
"""(when, "submitted" | "decided" | "status" | "milestone", arguments) — one event of a timeline, in order."""


def replay(
    party_id: uuid.UUID,
    document_type: str,
    type_: str,
    data: dict[str, Any],
    steps: list[Step],
    zone: tzinfo = UTC,
) -> tuple[State, list[Increments]]:
    """Fold a whole timeline, as the handlers would have one event at a time (rebuild and the bench generator)."""
    state, increments = State(), []
    first = next((at for at, kind, _ in steps if kind == "submitted"), None)
    facts = facts_of(party_id, document_type, type_, data, first, zone) if first else None
    for at, kind, args in sorted(steps, key=lambda step: step[0]):
        if kind == "submitted" and facts is not None:
            increments.append(submitted(state, facts, args[0], args[1], at))
        elif kind == "decided":
            increments.append(agency_decided(state, args[0], args[1], at))
        elif kind == "status":
            increments.append(status_changed(state, args[0], at))
        elif kind == "milestone":
            increments.append(milestone(state, args[0], at))
    return state, increments


def totals(state: State) -> Increments:
    """Everything a declaration's events have added to the summaries, from its final state alone.

    What rolling up a month reads from its milestones rows: a property test holds it equal
    to the sum of the increments of every timeline that leads to the state.
    """
    out = Increments()
    if state.facts is None:
        return out
    for measure in ("declarations", *sorted(state.counted)):
        out.declaration(state.facts, measure)
    submitted_at = state.at["submitted"]
    for agency, track in state.agencies.items():
        for measure in ("declarations", *track["counted"]):
            out.agency(agency, measure)
        if track["decided_at"] is not None:
            decided = datetime.fromisoformat(track["decided_at"])
            out.durations.append((AGENCY_INTERVAL, agency, (decided - submitted_at).total_seconds()))
    for interval, (start, end) in INTERVALS.items():
        if start in state.at and end in state.at:
            out.durations.append((interval, "*", (state.at[end] - state.at[start]).total_seconds()))
    return out
