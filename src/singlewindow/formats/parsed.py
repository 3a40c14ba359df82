"""A decoded message: the canonical document plus where each value came from in the source."""

import itertools
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from singlewindow.errors import json_path
from singlewindow.formats.errors import MessageRefused, Problem

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class Parsed:
    document: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)

    def put(self, path: tuple[str | int, ...], value: Any, source: str) -> None:
        """Set ``value`` at ``path`` inside the document, creating dicts and lists on the way."""
        node: Any = self.document
        for step, following in itertools.pairwise(path):
            if isinstance(step, int):
                while len(node) <= step:
                    node.append({} if not isinstance(following, int) else [])
                node = node[step]
            else:
                node = node.setdefault(step, [] if isinstance(following, int) else {})
        last = path[-1]
        if isinstance(last, int):
            while len(node) <= last:
                node.append(None)
        node[last] = value
        self.sources[json_path(path)] = source

    def source_of(self, loc: tuple[int | str, ...]) -> str:
        """The closest recorded source for a model error location (a missing field names its parent)."""
        while loc:
            found = self.sources.get(json_path(loc))
            if found:
                return found
            loc = loc[:-1]
        return self.sources.get("$", "message")


def validate(parsed: Parsed, model: type[ModelT]) -> ModelT:
    """Validate the mapped document exactly as a JSON submission is, reporting source locations."""
    try:
        return model.model_validate(parsed.document)
    except ValidationError as exc:
        problems = [
            Problem(
                where=parsed.source_of(tuple(e["loc"])),
                msg=e["msg"].removeprefix("Value error, "),
                type=e["type"],
                field=json_path(tuple(e["loc"])),
            )
            for e in exc.errors()
        ]
        raise MessageRefused(problems) from None
