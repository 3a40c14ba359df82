"""HTTP POST of an outbound message in the format the agency's requirement row names (formats.outbound).

The outbox always stores canonical JSON (hashed and archived as such); this adapter renders
it as JSON, the project's XML or UN/EDIFACT on the way out, so that editing the catalogue's
agency requirement, not the counterparty row, decides what an agency's system receives.
"""

from datetime import UTC, datetime

import httpx

from singlewindow.exchange.adapters.http_json import post
from singlewindow.exchange.ports import DeliveryFailed, Outbound
from singlewindow.formats import outbound
from singlewindow.formats.errors import MessageRefused


class HttpFormatAdapter:
    def __init__(self, client: httpx.AsyncClient, endpoint: str, auth_token: str | None) -> None:
        self._client = client
        self._endpoint = endpoint
        self._auth_token = auth_token

    async def deliver(self, message: Outbound) -> None:
        try:
            rendered = outbound.render(message.body, message.content_type, message.destination, datetime.now(UTC))
        except (MessageRefused, ValueError, KeyError) as exc:
            raise DeliveryFailed(f"cannot render the message: {exc}", permanent=True) from exc
        headers = {
            "Content-Type": rendered.content_type,
            "SW-Message-Id": str(message.message_id),
            "SW-Message-Kind": message.kind,
        }
        if self._auth_token:
            headers["Authorization"] = f"Bearer {self._auth_token}"
        await post(self._client, self._endpoint, rendered.body, headers)
