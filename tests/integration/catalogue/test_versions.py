"""A new catalogue edition never breaks a declaration stored under an older one."""

import httpx
import pytest
from support.documents import import_declaration

from singlewindow.catalogue import code_lists as code_lists_module
from singlewindow.catalogue import elements as elements_module
from singlewindow.catalogue.code_lists import CodeList, CodeLists
from singlewindow.catalogue.elements import CATALOGUE_VERSION

API = "/api/v1/declarations"


class WithoutIncoterm(CodeLists):
    """A later edition in which the code the stored declaration used was withdrawn."""

    def __init__(self, current: CodeLists, withdrawn: str) -> None:
        self.__dict__.update(current.__dict__)
        incoterms = current.get("incoterm")
        kept = {e.code: e for e in incoterms if e.code != withdrawn}
        self._loaded = {**current._loaded, "incoterm": CodeList("incoterm", "Incoterms 2030", incoterms.source, kept)}


async def test_a_stored_declaration_reads_after_its_code_is_withdrawn(
    client: httpx.AsyncClient, trader: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    created = (await client.post(API, json=import_declaration(), headers=trader)).json()
    assert created["catalogue_version"] == CATALOGUE_VERSION
    later = WithoutIncoterm(code_lists_module.code_lists(), "CIF")
    monkeypatch.setattr(elements_module, "code_lists", lambda: later)
    response = await client.get(f"{API}/{created['id']}", headers=trader)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["incoterm"] == "CIF"
    assert response.json()["catalogue_version"] == CATALOGUE_VERSION
    refused = await client.post(API, json=import_declaration(reference="NEW-1"), headers=trader)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == "$.incoterm"
