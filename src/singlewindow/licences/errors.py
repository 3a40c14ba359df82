"""Licence registry errors."""

from singlewindow.errors import Conflict, Forbidden, NotFound


class LicenceNotFound(NotFound):
    title = "Unknown licence"


class NotIssuingAgency(Forbidden):
    title = "Not the issuing agency"


class LicenceInUse(Conflict):
    title = "Licence in use"
