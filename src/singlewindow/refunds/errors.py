"""Export tax refund errors."""

from singlewindow.errors import Conflict, NotFound, Unprocessable


class ExportNotFound(NotFound):
    title = "Unknown export declaration"


class ApplicationNotFound(NotFound):
    title = "Unknown refund application"


class InvoiceExists(Conflict):
    title = "Invoice already recorded"


class NothingToClaim(Unprocessable):
    title = "Nothing to claim"
