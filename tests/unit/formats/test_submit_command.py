"""``singlewindow declarations submit`` sends the file as it is, with the trader's key from the environment."""

from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from singlewindow.cli import app
from singlewindow.formats.commands import content_type_for, submit_file


@pytest.mark.parametrize(
    ("name", "expected"),
    [("d.json", "application/json"), ("d.XML", "application/xml"), ("d.edi", "application/EDIFACT")],
)
def test_the_content_type_follows_the_extension(name: str, expected: str) -> None:
    assert content_type_for(Path(name)) == expected


def test_other_extensions_are_refused() -> None:
    with pytest.raises(typer.BadParameter):
        content_type_for(Path("d.txt"))


def sent(path: Path, document_type: str | None = None) -> httpx.Request:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": "x"})

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://sw.test") as client:
        submit_file(client, path, "key-1", "idem-1", document_type)
    [request] = seen
    return request


def test_the_file_goes_as_is_with_the_api_key(tmp_path: Path) -> None:
    path = tmp_path / "d.edi"
    path.write_bytes(b"UNB+UNOW:4+A+B+260101:1200+1'")
    request = sent(path)
    assert request.url.path == "/api/v1/declarations"
    assert request.content == path.read_bytes()
    assert (request.headers["X-API-Key"], request.headers["Idempotency-Key"]) == ("key-1", "idem-1")
    assert request.headers["Content-Type"] == "application/EDIFACT"


def test_another_document_type_goes_to_its_own_endpoint(tmp_path: Path) -> None:
    path = tmp_path / "vessel.json"
    path.write_text('{"movement": "A"}')
    assert sent(path, "vessel_declaration").url.path == "/api/v1/declarations/vessel_declaration"


def test_without_a_key_in_the_environment_nothing_is_sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SW_API_KEY", raising=False)
    path = tmp_path / "d.json"
    path.write_text("{}")
    result = CliRunner().invoke(app, ["declarations", "submit", str(path), "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "SW_API_KEY" in result.output
