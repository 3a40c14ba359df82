"""Sharing errors."""

from singlewindow.errors import Conflict, Forbidden, NotFound, Unprocessable


class DataClassNotFound(NotFound):
    title = "Unknown data class"


class RequestNotFound(NotFound):
    title = "Unknown access request"


class GrantNotFound(NotFound):
    title = "Unknown grant"


class DuplicateDataClass(Conflict):
    title = "Data class exists"


class AlreadyRequested(Conflict):
    title = "Already requested"


class AlreadyDecided(Conflict):
    title = "Already decided"


class AlreadyRevoked(Conflict):
    title = "Already revoked"


class NotAnAgency(Forbidden):
    title = "Agencies only"


class NotThePublisher(Forbidden):
    title = "Not the publisher"


class AccessDenied(Forbidden):
    """No live grant: the attempt is logged, and the edge commits the log entry before answering."""

    title = "No grant"


class OwnDataClass(Unprocessable):
    title = "Own data class"
