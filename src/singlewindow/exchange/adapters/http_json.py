"""HTTP POST and what a receiver's answer means for delivery (shared by the HTTP adapters)."""

import httpx

from singlewindow.exchange.ports import DeliveryFailed

_RETRYABLE_4XX = frozenset({408, 425, 429})


def raise_for_delivery(response: httpx.Response) -> None:
    """2xx is accepted; 4xx other than throttling is the receiver refusing for good."""
    if response.is_success:
        return
    reason = f"HTTP {response.status_code}: {response.text[:200]}"
    permanent = response.is_client_error and response.status_code not in _RETRYABLE_4XX
    raise DeliveryFailed(reason, permanent=permanent)


async def post(client: httpx.AsyncClient, url: str, content: bytes, headers: dict[str, str]) -> None:
    try:
        response = await client.post(url, content=content, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    raise_for_delivery(response)
