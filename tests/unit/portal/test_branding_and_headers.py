"""Branding colours are checked for contrast at start; HSTS is sent only by an https deployment."""

import httpx
import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from singlewindow.kit.colour import contrast_ratio
from singlewindow.portal.security import HSTS, SecurityHeaders
from singlewindow.settings import Settings


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),
        ("#a4161a", "#ffffff", 7.75),
    ],
)
def test_contrast_is_the_wcag_ratio(first: str, second: str, ratio: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(second, first) == pytest.approx(ratio, abs=0.01)


def test_the_default_branding_meets_wcag_aa() -> None:
    settings = Settings()
    assert contrast_ratio(settings.portal_primary_color, settings.portal_text_color) >= 4.5


def test_a_primary_colour_too_light_for_white_text_is_refused_at_start_with_both_colours_named() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(portal_primary_color="#ff9999")
    message = str(refused.value)
    assert "SW_PORTAL_PRIMARY_COLOR #ff9999" in message
    assert "SW_PORTAL_TEXT_COLOR #ffffff" in message
    assert "2.05:1" in message
    assert "4.5:1" in message


def test_a_light_primary_colour_passes_with_dark_text() -> None:
    settings = Settings(portal_primary_color="#ffd54f", portal_text_color="#1f2328")
    assert settings.portal_primary_color == "#ffd54f"
    with pytest.raises(ValidationError):
        Settings(portal_primary_color="#767676", portal_text_color="#777777")


async def _headers(public_url: str) -> httpx.Headers:
    app = Starlette(routes=[Route("/login", lambda _: PlainTextResponse("ok"))])
    wrapped = SecurityHeaders(app, settings=Settings(public_url=public_url))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped), base_url="http://portal.test") as client:
        return (await client.get("/login")).headers


async def test_an_https_deployment_sends_hsts() -> None:
    headers = await _headers("https://swapp.example.cn")
    assert headers["strict-transport-security"] == HSTS
    assert "max-age=31536000" in HSTS


async def test_a_plain_http_deployment_sends_no_hsts() -> None:
    headers = await _headers("http://127.0.0.1:8000")
    assert "strict-transport-security" not in headers
    assert headers["x-frame-options"] == "DENY"
