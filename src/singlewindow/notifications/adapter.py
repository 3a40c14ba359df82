"""Delivering a webhook: the exchange's JSON-over-HTTP transport, signed at send time."""

import time

import httpx

from singlewindow.exchange.adapters.http_json import post
from singlewindow.exchange.ports import Outbound
from singlewindow.notifications.signing import HEADER, sign


class WebhookAdapter:
    def __init__(self, client: httpx.AsyncClient, url: str, secret: str) -> None:
        self._client = client
        self._url = url
        self._secret = secret

    async def deliver(self, message: Outbound) -> None:
        headers = {
            "Content-Type": message.content_type,
            "SW-Event-Id": str(message.message_id),
            HEADER: sign(self._secret, int(time.time()), message.body),
        }
        await post(self._client, self._url, message.body, headers)
