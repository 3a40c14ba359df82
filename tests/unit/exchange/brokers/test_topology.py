"""What travels through RabbitMQ carries everything a consumer needs, and a destination keeps its queue."""

import dataclasses
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.exchange.brokers.topology import (
    MalformedMessage,
    headers_of,
    outbound_from,
    queue_arguments,
    queue_for,
    queue_names,
)
from singlewindow.exchange.ports import Outbound
from singlewindow.settings import Settings

DESTINATIONS = st.text(min_size=1, max_size=80)
MESSAGES = st.builds(
    Outbound,
    message_id=st.uuids(),
    destination=DESTINATIONS,
    kind=st.from_regex(r"[a-z][a-z_]{1,39}", fullmatch=True),
    subject_id=st.none() | st.uuids(),
    revision=st.none() | st.integers(min_value=1, max_value=10**6),
    content_type=st.sampled_from(["application/json", "application/xml", "application/EDIFACT"]),
    body=st.binary(max_size=200),
    attempt=st.just(0),
)


@given(MESSAGES, st.integers(min_value=1, max_value=100))
def test_a_message_comes_out_as_it_went_in(message: Outbound, attempt: int) -> None:
    received = outbound_from(str(message.message_id), headers_of(message), message.content_type, message.body, attempt)
    assert received == dataclasses.replace(message, attempt=attempt)


@given(DESTINATIONS, st.integers(min_value=1, max_value=64))
def test_a_destination_always_maps_to_one_of_the_queues(destination: str, shards: int) -> None:
    settings = Settings(rabbitmq_shards=shards, rabbitmq_queue_prefix="sw.test")
    assert queue_for(destination, settings) == queue_for(destination, settings)
    assert queue_for(destination, settings) in queue_names(settings)


def test_destinations_spread_over_the_shards() -> None:
    settings = Settings(rabbitmq_shards=4)
    used = {queue_for(agency, settings) for agency in [f"agency-{n}" for n in range(40)]}
    assert used == set(queue_names(settings))


def test_queues_are_quorum_queues_with_single_active_consumer_when_ordered() -> None:
    assert queue_arguments(Settings()) == {"x-queue-type": "quorum"}
    ordered = queue_arguments(Settings(rabbitmq_single_active_consumer=True))
    assert ordered == {"x-queue-type": "quorum", "x-single-active-consumer": True}


@pytest.mark.parametrize(
    ("message_id", "headers"),
    [
        (None, {"destination": "customs", "kind": "declaration"}),
        ("not-a-uuid", {"destination": "customs", "kind": "declaration"}),
        (str(uuid.uuid4()), {"kind": "declaration"}),
        (str(uuid.uuid4()), {"destination": "customs", "kind": "declaration", "revision": "first"}),
    ],
    ids=["no-id", "bad-id", "no-destination", "bad-revision"],
)
def test_a_message_the_relay_did_not_write_is_refused(message_id: str | None, headers: dict[str, object]) -> None:
    with pytest.raises(MalformedMessage):
        outbound_from(message_id, headers, "application/json", b"{}", 1)
