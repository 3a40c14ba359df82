"""Certificate of origin errors."""

from typing import Any

from singlewindow.errors import Conflict, InvalidData, NotFound, Unprocessable


class CertificateNotFound(NotFound):
    title = "Unknown certificate of origin"


class ApplicationNotFound(NotFound):
    title = "Unknown certificate of origin application"


class AlreadyRevoked(Conflict):
    title = "Certificate already revoked"


class AlreadyReceived(Conflict):
    title = "Certificate already received"


class UntrustedSignature(Unprocessable):
    title = "Signature not trusted"


def xml_refused(path: str, message: str) -> InvalidData:
    """The e-CO XML failed; ``path`` is the XPath of the element that did."""
    error: Any = {"type": "xml", "loc": ("xml", path), "msg": message, "input": None}
    return InvalidData([error], detail=f"the e-CO XML was refused at {path}: {message}")
