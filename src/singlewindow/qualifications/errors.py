"""Qualification errors."""

from singlewindow.errors import Conflict, Forbidden, NotFound


class QualificationMissing(Forbidden):
    title = "Qualification missing"


class AlreadyApplied(Conflict):
    title = "Already applied"


class EmailNotVerified(Forbidden):
    title = "E-mail not verified"


class QualificationNotFound(NotFound):
    title = "Unknown qualification"
