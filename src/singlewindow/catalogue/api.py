"""The catalogue, public reference data like a published tariff: elements, code lists, document types."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from singlewindow.catalogue import document_types, service, transfer
from singlewindow.catalogue.elements import CATALOGUE_VERSION
from singlewindow.catalogue.schemas import (
    CodeListEntries,
    CodeListOut,
    DocumentTypeOut,
    DocumentTypeSummary,
    ElementOut,
    HarmonizationReport,
    ValidationResult,
)
from singlewindow.identity.dependencies import PUBLIC

router = APIRouter(prefix="/api/v1/catalogue", tags=["catalogue"], dependencies=[PUBLIC])
Search = Annotated[str | None, Query(max_length=100, description="Search in English and Chinese")]


@router.get("/elements", response_model=list[ElementOut])
async def elements(q: Search = None) -> list[ElementOut]:
    return service.list_elements(q)


@router.get("/code-lists", response_model=list[CodeListOut])
async def code_lists() -> list[CodeListOut]:
    """Every code list with the edition it was taken from."""
    return service.list_code_lists()


@router.get("/code-lists/{name}", response_model=CodeListEntries)
async def code_list(name: str, q: Search = None, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> CodeListEntries:
    return service.code_list(name, q, limit)


@router.get("/document-types", response_model=list[DocumentTypeSummary])
async def list_document_types() -> list[DocumentTypeSummary]:
    return service.list_document_types()


@router.get("/document-types/{code}", response_model=DocumentTypeOut)
async def document_type(code: str) -> DocumentTypeOut:
    """Its fields (each a data element), conditional rules, and what each agency receives in which format."""
    return service.document_type(code)


@router.get("/document-types/{code}/schema")
async def document_type_schema(code: str) -> dict[str, Any]:
    """The JSON Schema of the document type, each field annotated with its data element."""
    return service.schema(code)


@router.post("/document-types/{code}/validate", response_model=ValidationResult)
async def validate(code: str, document: Annotated[dict[str, Any], Body()]) -> ValidationResult:
    """Check a document against the current catalogue; 422 names every failing field."""
    return ValidationResult(
        document_type=code, catalogue_version=CATALOGUE_VERSION, document=document_types.validate(code, document)
    )


@router.get("/harmonization", response_model=HarmonizationReport)
async def harmonization() -> HarmonizationReport:
    """Data elements entered once on the single window versus the sum of all agencies' separate forms."""
    return service.harmonization_report()


@router.get("/export", response_class=Response, responses={200: {"content": {"application/json": {}}}})
async def export() -> Response:
    """The whole catalogue (elements, code lists with every entry, document types, requirements, conversions)."""
    return Response(service.export_catalogue(), media_type="application/json")


@router.post("/import-check")
async def import_check(catalogue: Annotated[dict[str, Any], Body()]) -> dict[str, int]:
    """Whether a catalogue export hangs together, and what it holds; 422 naming every problem otherwise.

    A code list sent without ``rows`` keeps the shipped entries, so that a change fits in a request.
    Nothing is written: a catalogue reaches the platform only as a release of its package data
    (``singlewindow catalogue import`` writes that layout for review).
    """
    return transfer.check(transfer.with_shipped_entries(catalogue))
