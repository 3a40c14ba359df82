"""Domain events: small dataclasses and a registry of handlers run in the publisher's transaction.

Handlers only write to the same session (rows, outbox messages); anything that leaves the
process goes through the exchange outbox, so an event is never lost with the process.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

E = TypeVar("E")
Handler = Callable[[AsyncSession, Any], Awaitable[None]]

_handlers: defaultdict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[AsyncSession, E], Awaitable[None]]) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


async def publish(session: AsyncSession, event: object) -> None:
    for handler in _handlers[type(event)]:
        await handler(session, event)
