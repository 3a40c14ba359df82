"""Domain errors carry their HTTP status; one handler renders them as RFC 9457 problems."""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

PROBLEM_JSON = "application/problem+json"


class SingleWindowError(Exception):
    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}

    def problem(self) -> dict[str, Any]:
        slug = type(self).__name__.removesuffix("Error").lower() or "error"
        return {"type": f"about:blank#{slug}", "title": self.title, "status": self.status, "detail": self.detail}


class NotFound(SingleWindowError):
    status = 404
    title = "Not found"


class Unauthorized(SingleWindowError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str = "Valid credentials are required") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(SingleWindowError):
    status = 403
    title = "Forbidden"


class Conflict(SingleWindowError):
    status = 409
    title = "Conflict"


class Unprocessable(SingleWindowError):
    status = 422
    title = "Unprocessable content"


class ServiceUnavailable(SingleWindowError):
    status = 503
    title = "Service unavailable"

    def __init__(self, detail: str, retry_after: int = 2) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class InvalidData(SingleWindowError):
    """Input that failed validation, with every failing field named by its path."""

    status = 422
    title = "Invalid data"

    def __init__(self, errors: Sequence[ErrorDetails], detail: str | None = None) -> None:
        super().__init__(detail or f"{len(errors)} field(s) failed validation")
        self.errors = [field_error(e) for e in errors]

    def problem(self) -> dict[str, Any]:
        return {**super().problem(), "errors": self.errors}


def json_path(loc: Sequence[int | str]) -> str:
    """Render a pydantic location as a JSON path (``$.goods[0].hs_code``)."""
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def field_error(error: ErrorDetails) -> dict[str, Any]:
    loc = error["loc"]
    return {
        "loc": json_path(loc),
        "pointer": "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc),  # RFC 6901
        "msg": error["msg"].removeprefix("Value error, "),
        "type": error["type"],
    }


def problem_response(error: SingleWindowError) -> JSONResponse:
    return JSONResponse(error.problem(), status_code=error.status, headers=error.headers, media_type=PROBLEM_JSON)


_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
"""PostgreSQL shutting down (admin, crash), not accepting connections yet, or out of connection slots."""


def _server_unavailable(exc: DBAPIError) -> bool:
    """A PostgreSQL error that says the server, not the statement, is the problem (SQLSTATE class 08 or above)."""
    original = exc.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(getattr(original, "__cause__", None), "sqlstate", None)
    return isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES)


def install_error_handlers(app: FastAPI) -> None:
    async def domain(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, SingleWindowError)
        return problem_response(exc)

    async def request_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError | ValidationError)
        errors: list[ErrorDetails] = list(exc.errors())
        if isinstance(exc, RequestValidationError):  # "body" is where FastAPI read it, not a field of it
            errors = [{**e, "loc": e["loc"][1:]} if e["loc"][:1] == ("body",) else e for e in errors]
        return problem_response(InvalidData(errors))

    async def database(_: Request, exc: Exception) -> JSONResponse:
        """A lost database is a retryable outage (503), never a bare 500."""
        connection_lost = isinstance(exc, OSError | OperationalError | InterfaceError) or (
            isinstance(exc, DBAPIError) and (exc.connection_invalidated or _server_unavailable(exc))
        )
        if not connection_lost:
            raise exc
        return problem_response(ServiceUnavailable("the database is unreachable; retry shortly"))

    app.add_exception_handler(SingleWindowError, domain)
    app.add_exception_handler(DBAPIError, database)
    app.add_exception_handler(OSError, database)
    app.add_exception_handler(RequestValidationError, request_validation)
    app.add_exception_handler(ValidationError, request_validation)
