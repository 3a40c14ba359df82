"""Projecting a record onto the fields a grant allows, and reading the values filters test.

Pure functions over canonical JSON. A path names a field the way the catalogue does
(``consignor.name``, ``goods[].hs_code``): ``[]`` steps into every item of a list.
"""

import copy
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

Tree = dict[str, "Tree"]
_LEAF = ""
_MISSING = object()


def tree(paths: Iterable[str]) -> Tree:
    """The granted paths as a tree of names, so one walk of the document projects it."""
    root: Tree = {}
    for path in paths:
        node = root
        for part in path.split("."):
            node = node.setdefault(part, {})
        node[_LEAF] = {}
    return root


def project(document: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """Only the fields named by ``paths``: anything else, at any depth, is left out."""
    taken = _take(document, tree(paths))
    return taken if isinstance(taken, dict) else {}


def _take(value: Any, node: Tree) -> Any:
    if _LEAF in node:
        return copy.deepcopy(value)
    if not isinstance(value, Mapping):
        return _MISSING
    out: dict[str, Any] = {}
    for part, child in node.items():
        name, many = (part[:-2], True) if part.endswith("[]") else (part, False)
        if name not in value:
            continue
        if many:
            items = value[name] if isinstance(value[name], list) else []
            kept = [t for t in (_take(item, child) for item in items) if _kept(t, child)]
            if kept:
                out[name] = kept
        else:
            taken = _take(value[name], child)
            if _kept(taken, child):
                out[name] = taken
    return out


def _kept(taken: Any, node: Tree) -> bool:
    """A granted field keeps its value whatever it is; a structure holding no granted field is left out."""
    return _LEAF in node or (taken is not _MISSING and taken != {})


def values_at(document: Mapping[str, Any], path: str) -> Iterator[Any]:
    """Every value at ``path`` (all items of a list), skipping where the document has none."""
    current: list[Any] = [document]
    for part in path.split("."):
        name, many = (part[:-2], True) if part.endswith("[]") else (part, False)
        found = [item[name] for item in current if isinstance(item, Mapping) and item.get(name) is not None]
        current = [x for f in found for x in (f if isinstance(f, list) else [])] if many else found
    yield from current


def leaf_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every path to a non-container value, in the ``goods[].hs_code`` notation."""
    if isinstance(value, Mapping):
        for name, child in value.items():
            yield from leaf_paths(child, f"{prefix}.{name}" if prefix else str(name))
    elif isinstance(value, list):
        for item in value:
            yield from leaf_paths(item, f"{prefix}[]")
    else:
        yield prefix


def covered(path: str, granted: Iterable[str]) -> bool:
    """Whether ``path`` is a granted path or lies inside one."""
    return any(path == g or path.startswith((g + ".", g + "[]")) for g in granted)
