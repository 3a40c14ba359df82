"""Public catalogue pages: data elements, code lists with their entries, document types with their rules.

Reference data, like a published tariff: readable signed in or not. Every page reads
``catalogue.service`` (the API's own functions), so the portal and ``/api/v1/catalogue`` show
the same catalogue and search the same way, in Chinese and in English.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from singlewindow.catalogue import service as catalogue
from singlewindow.catalogue.elements import CATALOGUE_VERSION
from singlewindow.catalogue.schemas import ElementOut
from singlewindow.portal.web import render

router = APIRouter(prefix="/catalogue")
MOUNT = "/portal"
PAGE_SIZE = 50
Search = Annotated[str, Query(max_length=100)]
Name = Annotated[str, Path(pattern="^[a-z][a-z0-9_]{1,39}$")]


@dataclass(frozen=True, slots=True)
class FieldRow:
    path: str
    element: ElementOut
    required: bool


@dataclass(frozen=True, slots=True)
class FieldGroup:
    """The header, a party (``consignor``) or a repeating group (``goods[]``) of a document type."""

    name: str
    repeating: bool
    fields: list[FieldRow]


def groups_of(code: str) -> list[FieldGroup]:
    """The document type's fields grouped by where they sit: header first, then each group in order."""
    known = _elements()
    grouped: dict[str, list[FieldRow]] = {}
    for use in catalogue.document_type(code).fields:
        owner, _, _ = use.path.rpartition(".")
        grouped.setdefault(owner, []).append(FieldRow(use.path, known[use.element], use.required))
    header = grouped.pop("", [])
    groups = [FieldGroup("", False, header)] if header else []
    groups += [FieldGroup(name, name.endswith("[]"), rows) for name, rows in grouped.items()]
    return groups


def _elements() -> dict[str, ElementOut]:
    return {e.id: e for e in catalogue.list_elements()}


@router.get("", response_class=HTMLResponse)
async def overview(request: Request, q: Search = "") -> HTMLResponse:
    """One search box over elements, code lists and document types."""
    text = q.strip()
    return render(
        request,
        "catalogue/index.html",
        q=text,
        version=CATALOGUE_VERSION,
        elements=catalogue.list_elements(text) if text else [],
        code_lists=catalogue.list_code_lists(),
        document_types=catalogue.find_document_types(text if text else None),
        element_count=len(_elements()),
    )


@router.get("/elements", response_class=HTMLResponse)
async def element_list(request: Request, q: Search = "") -> HTMLResponse:
    return render(
        request, "catalogue/elements.html", q=q.strip(), rows=catalogue.list_elements(q), version=CATALOGUE_VERSION
    )


@router.get("/code-lists", response_class=HTMLResponse)
async def code_list_index(request: Request) -> HTMLResponse:
    return render(request, "catalogue/code_lists.html", rows=catalogue.list_code_lists())


@router.get("/code-lists/{name}", response_class=HTMLResponse)
def code_list(
    request: Request, name: Name, q: Search = "", page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    """A page of entries (HS has 6,939, UN/LOCODE 115,893). A plain ``def``: the first search of
    a large list builds its index for about a second, in the thread pool, not on the event loop."""
    found = catalogue.code_page(name, q, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    used_by = [e for e in catalogue.list_elements() if e.code_list == name]
    return render(
        request,
        "catalogue/code_list.html",
        found=found,
        q=q.strip(),
        page=page,
        used_by=used_by,
        query={"q": q.strip()},
    )


@router.get("/document-types", response_class=HTMLResponse)
async def document_type_list(request: Request, q: Search = "") -> HTMLResponse:
    return render(request, "catalogue/document_types.html", q=q.strip(), rows=catalogue.find_document_types(q))


@router.get("/document-types/{code}", response_class=HTMLResponse)
async def document_type(request: Request, code: Name) -> HTMLResponse:
    found = catalogue.document_type(code)
    api = str(request.scope.get("root_path", "")).removesuffix(MOUNT)
    return render(
        request,
        "catalogue/document_type.html",
        t=found,
        schema_url=f"{api}/api/v1/catalogue/document-types/{code}/schema",
        groups=groups_of(code),
        by_path={u.path: u for u in found.fields},
    )
