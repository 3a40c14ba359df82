"""Document types: compositions of data elements, as data (``data/document_types/*.json``).

A type lists its fields, each a data element or a group of fields (``"min"``/``"max"`` make
the group repeat), plus conditional rules ("when movement is A, estimated_arrival is
required"). The pydantic model, the JSON Schema and the validation all come from that
file. The cargo declaration is the one exception: its structure is the canonical
``CargoDeclaration`` model, which the declarations context registers here, so the catalogue
describes it from the model instead of keeping a second copy of the truth.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import ErrorDetails

from singlewindow.catalogue.elements import CATALOGUE_VERSION, Element
from singlewindow.errors import InvalidData, NotFound

_DIR = files("singlewindow.catalogue") / "data" / "document_types"
_registered: dict[str, type[BaseModel]] = {}


class DocumentTypeNotFound(NotFound):
    title = "Document type not found"


@dataclass(frozen=True)
class DocumentType:
    code: str
    name_en: str
    name_zh: str
    spec: dict[str, Any] = field(repr=False)

    @property
    def canonical(self) -> bool:
        return bool(self.spec.get("canonical_model"))

    @property
    def edifact_message(self) -> str | None:
        """The UN/EDIFACT message (D.96B) this type is sent as, where one fits (CUSDEC, CUSCAR); else None."""
        found = self.spec.get("edifact_message")
        return str(found) if found else None

    @property
    def conditions(self) -> list[dict[str, Any]]:
        return list(self.spec.get("conditions", []))


def register_model(code: str, model: type[BaseModel]) -> None:
    """The context that owns a canonical model hands it to the catalogue (dependency inversion)."""
    _registered[code] = model


@cache
def _groups() -> dict[str, dict[str, Any]]:
    return {k: v for k, v in json.loads((_DIR / "_groups.json").read_text("utf-8")).items() if not k.startswith("_")}


def group_fields(name: str) -> dict[str, dict[str, Any]]:
    """The fields of a shared group (``party``, ``container``) that document types refer to by name."""
    return dict(_groups()[name])


@cache
def document_types() -> dict[str, DocumentType]:
    found = {}
    for resource in sorted(_DIR.iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".json") and not resource.name.startswith("_"):
            spec = json.loads(resource.read_text("utf-8"))
            found[spec["code"]] = DocumentType(spec["code"], spec["name_en"], spec["name_zh"], spec)
    return found


def get(code: str) -> DocumentType:
    found = document_types().get(code)
    if found is None:
        raise DocumentTypeNotFound(f"no document type {code!r}; the types are: {', '.join(document_types())}")
    return found


def _title(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _one_of(codes: list[str]) -> Any:
    """A field may narrow its element's code list (``"codes": ["1", "2", "3", "4"]``)."""

    def check(value: Any) -> Any:
        if value not in codes:
            raise ValueError(f"{value!r} is not allowed here; use one of {', '.join(codes)}")
        return value

    return AfterValidator(check)


def _field(name: str, spec: dict[str, Any], owner: str) -> tuple[Any, Any]:
    """The (annotation, default) pydantic needs for one field spec."""
    if "element" in spec:
        annotation: Any = Annotated[Any, Element(spec["element"])]
        if "codes" in spec:
            annotation = Annotated[annotation, _one_of(spec["codes"]), Field(json_schema_extra={"enum": spec["codes"]})]
    else:
        fields = _groups()[spec["group"]] if "group" in spec else spec["fields"]
        annotation = _model(_title(spec.get("group", name)) if "group" in spec else owner + _title(name), fields)
    repeating = "min" in spec or "max" in spec
    if repeating:
        limits = Field(min_length=spec.get("min", 0), max_length=spec.get("max", 9999))
        annotation = Annotated[list[annotation], limits]
    if spec.get("required"):
        return annotation, ...
    if repeating:
        return annotation, Field(default_factory=list)
    return annotation | None, None


def _model(name: str, fields: dict[str, dict[str, Any]]) -> type[BaseModel]:
    definitions = {key: _field(key, spec, name) for key, spec in fields.items()}
    return create_model(name, __base__=_Strict, **definitions)  # type: ignore[call-overload,no-any-return]


@cache
def _built_model(code: str) -> type[BaseModel]:
    return _model(_title(code), get(code).spec["fields"])


def model(code: str) -> type[BaseModel]:
    """The pydantic model of a document type: registered for canonical types, built from data otherwise."""
    document_type = get(code)
    if document_type.canonical:
        registered = _registered.get(code)
        if registered is None:
            raise LookupError(f"{code} is described by a canonical model that no context has registered")
        return registered
    return _built_model(code)


def json_schema(code: str) -> dict[str, Any]:
    document_type = get(code)
    schema = model(code).model_json_schema()
    schema.update(
        title=document_type.name_en,
        description=document_type.name_zh,
        **{"x-document-type": code, "x-catalogue-version": CATALOGUE_VERSION},
    )
    return schema


def _condition_errors(document_type: DocumentType, data: dict[str, Any]) -> list[ErrorDetails]:
    errors: list[ErrorDetails] = []
    for rule in document_type.conditions:
        when = rule["when"]
        value = data.get(when["field"])
        applies = value is not None if when.get("present") else value == when.get("equals")
        if not applies:
            continue
        because = f"because {when['field']} is {value!r}" if "equals" in when else f"because {when['field']} is given"
        for name in rule.get("require", []):
            if data.get(name) is None:
                errors.append(ErrorDetails(type="conditional", loc=(name,), msg=f"required {because}", input=None))
        for name in rule.get("forbid", []):
            if data.get(name) not in (None, []):
                errors.append(
                    ErrorDetails(type="conditional", loc=(name,), msg=f"not used {because}", input=data[name])
                )
        for group, names in rule.get("require_in_every", {}).items():
            for i, entry in enumerate(data.get(group) or []):
                errors.extend(
                    ErrorDetails(type="conditional", loc=(group, i, n), msg=f"required {because}", input=None)
                    for n in names
                    if entry.get(n) is None
                )
    return errors


def validate(code: str, data: Any) -> dict[str, Any]:
    """The document as canonical JSON, or ``InvalidData`` naming every field that breaks a rule."""
    document_type = get(code)
    try:
        document = model(code).model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        raise InvalidData(list(exc.errors())) from None
    errors = _condition_errors(document_type, document)
    if errors:
        raise InvalidData(errors)
    return document


@dataclass(frozen=True, slots=True)
class FieldUse:
    """One place a data element is entered in a document type (``goods[].hs_code``)."""

    path: str
    element: str
    required: bool


def _walk(schema: dict[str, Any], node: dict[str, Any], prefix: str, required: bool) -> list[FieldUse]:
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        options = [n for n in node["anyOf"] if n.get("type") != "null"]
        nullable = len(options) < len(node["anyOf"])
        node = {**options[0], **{k: v for k, v in node.items() if k != "anyOf"}}
        required = required and not nullable
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "x-element" in node:
        return [FieldUse(prefix, node["x-element"], required)]
    if node.get("type") == "array":
        return _walk(schema, node["items"], prefix + "[]", required)
    uses = []
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        uses += _walk(schema, child, path, required and name in node.get("required", []))
    return uses


def fields(code: str) -> list[FieldUse]:
    """Every element-carrying field of a document type, read from its JSON Schema (one truth for both)."""
    schema = model(code).model_json_schema()
    return _walk(schema, schema, "", True)
