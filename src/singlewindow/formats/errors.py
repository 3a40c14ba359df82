"""Why a message in a foreign format was refused, naming the segment, element or XPath."""

from dataclasses import dataclass
from typing import Any

from singlewindow.errors import Unprocessable


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    msg: str
    type: str = "format"
    field: str | None = None


class MessageRefused(Unprocessable):
    """The message cannot become a declaration; ``errors[].loc`` points into the message itself."""

    title = "Message refused"

    def __init__(self, problems: list[Problem], detail: str | None = None) -> None:
        super().__init__(detail or f"{len(problems)} problem(s) in the message")
        self.problems = problems

    def problem(self) -> dict[str, Any]:
        errors = []
        for p in self.problems:
            error: dict[str, Any] = {"loc": p.where, "msg": p.msg, "type": p.type}
            if p.field:
                error["field"] = p.field
            errors.append(error)
        return {**super().problem(), "errors": errors}


def refuse(where: str, msg: str) -> MessageRefused:
    return MessageRefused([Problem(where, msg)], detail=f"{where}: {msg}")
