"""Any document type, accepted into one shape the core flow takes: canonical JSON plus what the row needs.

The cargo declaration is validated by its canonical model and the deployment's rules; every
other document type by its catalogue definition. Which field is a document's reference and
which gives its kind (import/export, arrival/departure) is catalogue data too
(``reference_field``, ``kind_field`` / ``kind`` in the document type's file), so a new
document type needs a JSON file, not code.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from singlewindow.catalogue import document_types
from singlewindow.declarations import rules
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.errors import InvalidData

CARGO = "cargo_declaration"


@dataclass(frozen=True, slots=True)
class Document:
    document_type: str
    data: dict[str, Any]
    type: str
    reference: str


def cargo(declaration: CargoDeclaration, country: str) -> Document:
    rules.check(declaration, country)
    data = declaration.model_dump(mode="json", exclude_none=True)
    return Document(CARGO, data, declaration.type, declaration.reference)


def accept(document_type: str, body: Any, country: str) -> Document:
    """Validate ``body`` as a ``document_type``; ``InvalidData`` names every failing field."""
    if document_type == CARGO:
        try:
            return cargo(CargoDeclaration.model_validate(body), country)
        except ValidationError as exc:
            raise InvalidData(list(exc.errors())) from None
    data = document_types.validate(document_type, body)
    spec = document_types.get(document_type).spec
    kind = str(data[spec["kind_field"]]) if "kind_field" in spec else str(spec.get("kind", document_type))
    return Document(document_type, data, kind[:16], _reference(data, spec.get("reference_field", "reference"))[:35])


def _reference(data: dict[str, Any], field: str | list[str]) -> str:
    """The document's reference: its reference field, or the first of several that is given (one per transport mode)."""
    names = [field] if isinstance(field, str) else field
    return next(str(data[name]) for name in names if data.get(name) is not None)
