"""Payment errors."""

from singlewindow.errors import Conflict, NotFound, Unprocessable


class NotInTariff(Unprocessable):
    title = "Not in the tariff"


class NoExchangeRate(Unprocessable):
    title = "No exchange rate"


class CannotAssess(Unprocessable):
    title = "Cannot assess"


class OrderNotFound(NotFound):
    title = "Unknown payment order"


class AssessmentNotFound(NotFound):
    title = "Unknown assessment"


class ReceiptNotFound(NotFound):
    title = "Unknown receipt"


class PortChargeNotFound(NotFound):
    title = "Unknown port charge"


class OrderSettled(Conflict):
    title = "Payment order settled"


class OrderCancelled(Conflict):
    title = "Payment order cancelled"


class IdempotencyKeyReused(Conflict):
    title = "Idempotency key reused"
