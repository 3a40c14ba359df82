"""What the catalogue API returns."""

from typing import Any

from pydantic import BaseModel, Field


class ElementOut(BaseModel):
    id: str
    name_en: str
    name_zh: str
    representation: str
    code_list: str | None
    check: str | None
    wco_id: str | None = Field(description="WCO Data Model 3.x id, where one was verified")
    definition: str


class CodeListOut(BaseModel):
    name: str
    version: str
    source: str
    size: int


class CodeOut(BaseModel):
    code: str
    name_en: str
    name_zh: str | None


class CodeListEntries(CodeListOut):
    entries: list[CodeOut]


class FieldUseOut(BaseModel):
    path: str
    element: str
    required: bool


class AgencyRequirementOut(BaseModel):
    agency: str
    format: str
    rule: dict[str, Any]


class DocumentTypeOut(BaseModel):
    code: str
    name_en: str
    name_zh: str
    canonical_model: bool
    fields: list[FieldUseOut]
    conditions: list[dict[str, Any]]
    agencies: list[AgencyRequirementOut]


class DocumentTypeSummary(BaseModel):
    code: str
    name_en: str
    name_zh: str


class HarmonizationRow(BaseModel):
    document_type: str
    name_en: str
    name_zh: str
    entered_once: int = Field(description="Distinct data elements a trader enters once on the single window's form")
    fields: int = Field(description="Fields on that form (one data element may fill several)")
    separate_forms: int = Field(description="Sum of the distinct data elements each agency's own form would ask for")
    reduction_percent: float
    per_agency: dict[str, int] = Field(description="Distinct data elements each agency's own form would ask for")


class HarmonizationReport(BaseModel):
    catalogue_version: str
    document_types: list[HarmonizationRow]
    entered_once: int
    separate_forms: int
    reduction_percent: float


class ValidationResult(BaseModel):
    document_type: str
    catalogue_version: str
    document: dict[str, Any]
