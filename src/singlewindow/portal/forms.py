"""The declaration form, built from the canonical schema and the data element catalogue.

Every input is a field of ``CargoDeclaration`` that names a catalogue element, so its label
(zh/en), length and code list come from the catalogue; the form sends dotted names
(``goods.0.hs_code``) that :func:`to_document` turns back into the API's JSON document.
"""

import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from singlewindow.catalogue import document_types
from singlewindow.catalogue.elements import DataElement, Element, elements
from singlewindow.declarations import rules
from singlewindow.declarations.documents import CARGO
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.errors import InvalidData, SingleWindowError

FORM_ERROR = "_form"


@dataclass(frozen=True, slots=True)
class FormField:
    """One input: ``name`` is its path relative to its group (``hs_code``, ``consignor.name``)."""

    name: str
    element: DataElement
    required: bool
    choices: tuple[str, ...] = ()

    @property
    def code_list(self) -> str | None:
        return self.element.code_list

    def label(self, lang: str) -> str:
        return self.element.name_en if lang == "en" else self.element.name_zh


@dataclass(frozen=True, slots=True)
class Group:
    """A set of fields: the header, a party, or one repeating item (goods, containers)."""

    name: str
    element_ids: tuple[str, ...]
    fields: tuple[FormField, ...]
    repeating: bool = False


def _element_id(info: FieldInfo) -> str | None:
    candidates: list[Any] = list(info.metadata)
    for arg in get_args(info.annotation):
        candidates.extend(getattr(arg, "__metadata__", ()))
    for item in candidates:
        if isinstance(item, Element):
            return item.id
    extra = info.json_schema_extra
    return str(extra["x-element"]) if isinstance(extra, dict) and "x-element" in extra else None


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    candidates = (
        [annotation, *get_args(annotation)]
        if get_origin(annotation) in (list, Union, types.UnionType)
        else [annotation]
    )
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _fields(model: type[BaseModel], prefix: str = "") -> list[FormField]:
    found: list[FormField] = []
    for name, info in model.model_fields.items():
        element_id = _element_id(info)
        nested = _nested_model(info.annotation)
        if element_id:
            choices = get_args(info.annotation) if get_origin(info.annotation) is Literal else ()
            found.append(FormField(prefix + name, elements()[element_id], info.is_required(), choices))
        elif nested and get_origin(info.annotation) is not list:
            found.extend(_fields(nested, f"{prefix}{name}."))
    return found


@cache
def layout(document_type: str = CARGO) -> tuple[Group, ...]:
    """The header (with its parties), then each repeating group (containers, goods items, consignments)."""
    model = document_types.model(document_type)
    header = tuple(_fields(model))
    groups = [Group("header", tuple(f.element.id for f in header), header)]
    for name, info in model.model_fields.items():
        nested = _nested_model(info.annotation)
        if get_origin(info.annotation) is list and nested:
            item_fields = tuple(_fields(nested))
            groups.append(Group(name, tuple(f.element.id for f in item_fields), item_fields, repeating=True))
    return tuple(groups)


def fillable(document_type: str) -> bool:
    """Rows inside rows (a manifest's bills of lading, each with goods) need a file, not a flat form."""
    return all(use.path.count("[]") < 2 for use in document_types.fields(document_type))


def labels(lang: str) -> dict[str, str]:
    """Catalogue labels by field name (``hs_code``, ``consignor.name``), for showing data outside the form."""
    return {f.name: f.label(lang) for group in layout() for f in group.fields}


@cache
def field_names(document_type: str = CARGO) -> frozenset[str]:
    """Every input name the form may send, with ``N`` standing for a row number."""
    names: set[str] = set()
    for group in layout(document_type):
        names.update(f"{group.name}.N.{f.name}" if group.repeating else f.name for f in group.fields)
    return frozenset(names)


def _pattern(key: str) -> tuple[str, int | None]:
    parts = key.split(".")
    if len(parts) >= 3 and parts[1].isdigit():
        return ".".join([parts[0], "N", *parts[2:]]), int(parts[1])
    return key, None


def _put(target: dict[str, Any], path: list[str], value: str) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def to_document(form: Iterable[tuple[str, str]], document_type: str = CARGO) -> dict[str, Any]:
    """The JSON document the API would receive; blank inputs are absent, blank rows dropped."""
    known = field_names(document_type)
    document: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    for key, raw in form:
        value = raw.strip()
        pattern, row = _pattern(key)
        if not value or pattern not in known:
            continue
        if row is None:
            _put(document, key.split("."), value)
        else:
            group, _, rest = key.split(".", 2)
            _put(rows.setdefault(group, {}).setdefault(row, {}), rest.split("."), value)
    for group, numbered in rows.items():
        document[group] = [numbered[n] for n in sorted(numbered)]
    return document


def to_form(document: Mapping[str, Any]) -> dict[str, str]:
    """The inverse of :func:`to_document`: dotted input names and their values."""
    values: dict[str, str] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, Mapping):
            for key, child in node.items():
                walk(f"{prefix}{key}.", child)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(f"{prefix}{index}.", child)
        elif node is not None:
            values[prefix.rstrip(".")] = str(node)

    walk("", document)
    return values


def rows_typed(values: Mapping[str, str], group: str) -> int:
    """How many rows of ``group`` the submitted inputs reach (``goods.3.x`` means four)."""
    indexes = [int(k.split(".")[1]) for k in values if k.startswith(f"{group}.") and k.split(".")[1].isdigit()]
    return max(indexes) + 1 if indexes else 0


def row_count(document: Mapping[str, Any], group: str, extra: int = 0) -> int:
    rows = document.get(group)
    count = len(rows) if isinstance(rows, list) else 0
    return max(count + extra, 1 if group == "goods" else 0)


def _input_name(pointer: str, known: set[str]) -> str:
    """Where an API error is shown: its field, else the first field of the object it names."""
    name = ".".join(p for p in pointer.strip("/").split("/") if p)
    if not name:
        return FORM_ERROR
    if name in known:
        return name
    inside = sorted(k for k in known if k.startswith(name + "."))
    preferred = [k for k in inside if k.endswith("net_weight_kg")]
    return (preferred or inside or [FORM_ERROR])[0]


def input_names(document: Mapping[str, Any], document_type: str = CARGO) -> set[str]:
    known: set[str] = set()
    for group in layout(document_type):
        if not group.repeating:
            known.update(f.name for f in group.fields)
            continue
        for row in range(row_count(document, group.name)):
            known.update(f"{group.name}.{row}.{f.name}" for f in group.fields)
    return known


def errors_by_input(
    errors: Iterable[Mapping[str, Any]], document: Mapping[str, Any], document_type: str = CARGO
) -> dict[str, list[str]]:
    """The API's problem ``errors`` (same messages) keyed by the input they belong to."""
    known = input_names(document, document_type)
    shown: dict[str, list[str]] = {}
    for error in errors:
        shown.setdefault(_input_name(str(error["pointer"]), known), []).append(str(error["msg"]))
    return shown


def validate(document: dict[str, Any], country: str) -> tuple[CargoDeclaration | None, list[dict[str, Any]]]:
    """Run exactly what the API runs on a submission: the schema, then the deployment rules."""
    try:
        data = CargoDeclaration.model_validate(document)
    except ValidationError as exc:
        return None, InvalidData(list(exc.errors())).errors
    try:
        rules.check(data, country)
    except SingleWindowError as exc:
        return None, list(getattr(exc, "errors", [{"pointer": "", "msg": exc.detail}]))
    return data, []
