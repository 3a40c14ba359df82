"""The same outbound envelope rendered as the project's XML or as UN/EDIFACT CUSDEC, over HTTP POST.

The outbox always stores canonical JSON (hashed and archived as such); the adapter renders it
for counterparties whose systems take XML or EDIFACT, as their agency requirement says.
"""

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from singlewindow.exchange.adapters.http_json import post
from singlewindow.exchange.ports import DeliveryFailed, Outbound
from singlewindow.formats import edifact, xml
from singlewindow.formats.errors import MessageRefused

SENDER = "SINGLEWINDOW"
Render = Callable[[Outbound], bytes]


def render_xml(message: Outbound) -> bytes:
    return xml.build_message(json.loads(message.body))


def render_edifact(message: Outbound) -> bytes:
    envelope: dict[str, Any] = json.loads(message.body)
    payload = envelope.get("payload", {})
    subject = (str(message.subject_id), message.revision or 1) if message.subject_id else None
    return edifact.build_cusdec(
        payload.get("declaration", {}),
        edifact.Envelope(SENDER, message.destination[:35], _control_reference(message.message_id), datetime.now(UTC)),
        kind=message.kind,
        subject=subject,
    ).encode()


def _control_reference(message_id: uuid.UUID) -> str:
    """UNB 0020 is an..14: the tail of the UUIDv7, its random part, is unique enough per sender."""
    return message_id.hex[-14:].upper()


class HttpFormatAdapter:
    def __init__(
        self, client: httpx.AsyncClient, endpoint: str, auth_token: str | None, *, content_type: str, render: Render
    ) -> None:
        self._client = client
        self._endpoint = endpoint
        self._auth_token = auth_token
        self._content_type = content_type
        self._render = render

    async def deliver(self, message: Outbound) -> None:
        try:
            body = self._render(message)
        except (MessageRefused, ValueError, KeyError) as exc:
            raise DeliveryFailed(f"cannot render as {self._content_type}: {exc}", permanent=True) from exc
        headers = {
            "Content-Type": self._content_type,
            "SW-Message-Id": str(message.message_id),
            "SW-Message-Kind": message.kind,
        }
        if self._auth_token:
            headers["Authorization"] = f"Bearer {self._auth_token}"
        await post(self._client, self._endpoint, body, headers)


def xml_http(client: httpx.AsyncClient, endpoint: str, auth_token: str | None) -> HttpFormatAdapter:
    return HttpFormatAdapter(client, endpoint, auth_token, content_type=xml.CONTENT_TYPE, render=render_xml)


def edifact_http(client: httpx.AsyncClient, endpoint: str, auth_token: str | None) -> HttpFormatAdapter:
    return HttpFormatAdapter(client, endpoint, auth_token, content_type=edifact.CONTENT_TYPE, render=render_edifact)
