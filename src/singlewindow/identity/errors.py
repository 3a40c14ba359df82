"""Identity errors."""

from singlewindow.errors import Conflict


class DuplicateParty(Conflict):
    title = "Already registered"


class DuplicateUsername(Conflict):
    title = "Username taken"
