"""Exchange errors."""

from singlewindow.errors import Forbidden, Unprocessable


class UnknownMessageKind(Unprocessable):
    title = "Unknown message kind"


class SenderMismatch(Forbidden):
    title = "Sender mismatch"
