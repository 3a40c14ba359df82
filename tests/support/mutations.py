"""Hypothesis strategies that break a valid declaration in exactly one place, and say where.

The unit tests (schema and rules) and the API tests share them, so both prove the same
claim: whatever single field is broken, the declaration is refused and the error names it.
What a field may hold is read from the JSON Schema of ``CargoDeclaration`` (itself built from
the data element catalogue), so a new field or a changed length needs no change here.
"""

import copy
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

from singlewindow.catalogue.code_lists import code_lists
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.errors import json_path
from support.documents import beef_import, import_declaration

Path = tuple[str | int, ...]
Schema = dict[str, Any]
Document = dict[str, Any]

BASES: tuple[Callable[[], Document], ...] = (import_declaration, beef_import)
"""Valid documents to break; called afresh for each example, so no example sees another's change."""


@dataclass(frozen=True, slots=True)
class Mutation:
    kind: str
    path: Path
    document: Document

    def named_by(self, error: Mapping[str, Any]) -> bool:
        """Whether a rendered error points, by path and by pointer, at the broken field or the object holding it."""
        near = (self.path, self.path[:-1])
        tokens = [token.replace("~1", "/").replace("~0", "~") for token in error["pointer"].split("/")[1:]]
        return error["loc"] in {json_path(p) for p in near} and tokens in [[str(step) for step in p] for p in near]


@cache
def _root() -> Schema:
    return CargoDeclaration.model_json_schema()


def _resolve(node: Schema) -> Schema:
    """Follow ``$ref`` and drop the ``null`` branch of an optional field."""
    if "$ref" in node:
        return _resolve(_root()["$defs"][node["$ref"].rsplit("/", 1)[-1]])
    branches = [b for b in node.get("anyOf", []) if b != {"type": "null"}]
    if len(branches) == 1:
        return _resolve(branches[0])
    return node


def field_schema(path: Path) -> Schema:
    """The JSON Schema of the value at ``path`` in a declaration."""
    node = _resolve(_root())
    for step in path:
        node = _resolve(node["items"] if isinstance(step, int) else node["properties"][step])
    return node


def kind_of(schema: Schema) -> str:
    """``text``, ``integer`` or ``decimal`` (pydantic renders a Decimal as number-or-string)."""
    if schema.get("type") == "integer":
        return "integer"
    if any(branch.get("type") == "number" for branch in schema.get("anyOf", [])):
        return "decimal"
    return "text"


def leaves(node: Any, path: Path = ()) -> Iterator[Path]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    else:
        yield path


def mandatory(node: Any, path: Path = ()) -> Iterator[Path]:
    """Every required field present in ``node``, at any depth."""
    if isinstance(node, dict):
        yield from ((*path, name) for name in field_schema(path).get("required", []))
        for key, value in node.items():
            yield from mandatory(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from mandatory(value, (*path, index))


for _lazy in ("hs", "locode"):
    code_lists().get(_lazy)  # loaded now, so their one-off cost is not timed as hypothesis' first draw


def objects(node: Any, path: Path = ()) -> Iterator[Path]:
    """Every JSON object in ``node``, the root included."""
    if isinstance(node, dict):
        yield path
        for key, value in node.items():
            yield from objects(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from objects(value, (*path, index))


def is_known_code(code_list: str, code: str) -> bool:
    lists = code_lists()
    return lists.is_hs_subheading(code) if code_list == "hs" else code in lists.get(code_list)


_NOT_A_SCALAR = st.lists(st.integers(), max_size=3) | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
_WORDS = st.text(string.ascii_letters, min_size=1, max_size=8)
_WRONG_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "text": _NOT_A_SCALAR | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans(),
    "decimal": _NOT_A_SCALAR | st.booleans() | _WORDS,  # pydantic takes ints and floats as Decimal
    "integer": _NOT_A_SCALAR | _WORDS,  # ... and a bool as an int
}
_NEGATIVE: dict[str, st.SearchStrategy[Any]] = {
    "decimal": st.decimals(min_value=-(10**6), max_value=Decimal("-0.01"), places=2).map(str),
    "integer": st.integers(min_value=-(10**6), max_value=-1),
}


def _wrong_type(schema: Schema) -> st.SearchStrategy[Any]:
    return _WRONG_TYPE[kind_of(schema)]


def _too_long(schema: Schema) -> st.SearchStrategy[Any]:
    longest: int = schema["maxLength"]
    return st.text(string.ascii_uppercase + string.digits, min_size=longest + 1, max_size=longest + 10)


def _unknown_code(schema: Schema) -> st.SearchStrategy[Any]:
    alphabet = string.ascii_uppercase if schema.get("pattern") else string.ascii_uppercase + string.digits
    code_list: str = schema["x-code-list"]
    codes = st.text(alphabet, min_size=schema["minLength"], max_size=schema["maxLength"])
    return codes.filter(lambda code: not is_known_code(code_list, code))


def _negative(schema: Schema) -> st.SearchStrategy[Any]:
    return _NEGATIVE[kind_of(schema)]


def _at(document: Document, path: Path) -> Any:
    node: Any = document
    for step in path:
        node = node[step]
    return node


def _parent(document: Document, path: Path) -> Any:
    return _at(document, path[:-1])


def replaced(document: Document, path: Path, value: Any) -> Document:
    """A copy of ``document`` with ``value`` at ``path``."""
    changed = copy.deepcopy(document)
    _parent(changed, path)[path[-1]] = value
    return changed


def without(document: Document, path: Path) -> Document:
    """A copy of ``document`` without the field at ``path``."""
    changed = copy.deepcopy(document)
    del _parent(changed, path)[path[-1]]
    return changed


def _drop_mandatory(draw: st.DrawFn, document: Document) -> Mutation:
    path = draw(st.sampled_from(list(mandatory(document))))
    return Mutation("drop_mandatory", path, without(document, path))


def _replace_leaf(
    kind: str, applies: Callable[[Schema], bool], values: Callable[[Schema], st.SearchStrategy[Any]]
) -> Callable[[st.DrawFn, Document], Mutation]:
    def mutate(draw: st.DrawFn, document: Document) -> Mutation:
        path = draw(st.sampled_from([p for p in leaves(document) if applies(field_schema(p))]))
        return Mutation(kind, path, replaced(document, path, draw(values(field_schema(path)))))

    return mutate


_AWKWARD_NAMES = st.sampled_from(["body", "a/b", "~0", "x.y", "", "Reference", "goods "])
"""Field names that are easy to render wrongly as a path or a pointer."""


def _unknown_field(draw: st.DrawFn, document: Document) -> Mutation:
    path = draw(st.sampled_from(list(objects(document))))
    taken = _at(document, path).keys()
    name = draw((_AWKWARD_NAMES | st.text(max_size=10)).filter(lambda n: n not in taken))
    value = draw(st.integers() | st.text(max_size=5))
    return Mutation("unknown_field", (*path, name), replaced(document, (*path, name), value))


MUTATORS: dict[str, Callable[[st.DrawFn, Document], Mutation]] = {
    "drop_mandatory": _drop_mandatory,
    "wrong_type": _replace_leaf("wrong_type", lambda _: True, _wrong_type),
    "too_long": _replace_leaf("too_long", lambda s: "maxLength" in s, _too_long),
    "unknown_code": _replace_leaf("unknown_code", lambda s: "x-code-list" in s, _unknown_code),
    "negative": _replace_leaf("negative", lambda s: kind_of(s) in _NEGATIVE, _negative),
    "unknown_field": _unknown_field,
}


@st.composite
def mutations(draw: st.DrawFn, kinds: tuple[str, ...] = tuple(MUTATORS)) -> Mutation:
    """One valid declaration broken in one field by one of ``kinds``."""
    return MUTATORS[draw(st.sampled_from(kinds))](draw, draw(st.sampled_from(BASES))())
