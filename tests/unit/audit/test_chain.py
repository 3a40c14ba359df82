"""The chain's hash covers every field of a record and the whole history before it."""

import dataclasses
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from singlewindow.audit.chain import GENESIS, Entry, link

ENTRY = Entry(7, 42, datetime(2026, 11, 23, 8, 0, tzinfo=UTC), "user:ops", "auth.login", "ops", {"ip": "10.0.0.1"})
CHANGES: dict[str, st.SearchStrategy[Any]] = {
    "seq": st.integers(min_value=1).filter(lambda v: v != ENTRY.seq),
    "id": st.integers(min_value=1).filter(lambda v: v != ENTRY.id),
    "at": st.datetimes(timezones=st.just(UTC)).filter(lambda v: v != ENTRY.at),
    "actor": st.text(max_size=80).filter(lambda v: v != ENTRY.actor),
    "action": st.text(max_size=60).filter(lambda v: v != ENTRY.action),
    "subject": st.text(max_size=80).filter(lambda v: v != ENTRY.subject),
    "detail": st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)).filter(
        lambda v: v != ENTRY.detail
    ),
}


@given(st.sampled_from(sorted(CHANGES)).flatmap(lambda f: st.tuples(st.just(f), CHANGES[f])))
def test_changing_any_field_changes_the_hash(change: tuple[str, Any]) -> None:
    field, value = change
    assert link(GENESIS, dataclasses.replace(ENTRY, **{field: value})) != link(GENESIS, ENTRY)


@given(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).filter(lambda h: h != GENESIS))
def test_the_hash_depends_on_the_previous_one(previous: str) -> None:
    assert link(previous, ENTRY) != link(GENESIS, ENTRY)


def test_key_order_in_the_detail_does_not_matter() -> None:
    reordered = dataclasses.replace(ENTRY, detail={"b": 1, "a": 2})
    assert link(GENESIS, reordered) == link(GENESIS, dataclasses.replace(ENTRY, detail={"a": 2, "b": 1}))
