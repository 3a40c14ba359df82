"""Declaration errors."""

from singlewindow.errors import Conflict, NotFound, Unprocessable


class DeclarationNotFound(NotFound):
    title = "Declaration not found"


class NotAllowedNow(Conflict):
    title = "Not allowed in this status"


class IdempotencyKeyReused(Unprocessable):
    title = "Idempotency-Key reused with a different request"


class IdempotencyKeyInFlight(Conflict):
    title = "A request with this Idempotency-Key is in progress"


class NotRoutable(Unprocessable):
    title = "No agency would receive this declaration"
