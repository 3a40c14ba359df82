"""Identity errors."""

from singlewindow.errors import Conflict, Forbidden, NotFound, Unauthorized


class DuplicateParty(Conflict):
    title = "Already registered"


class DuplicateUsername(Conflict):
    title = "Username taken"


class AccountLocked(Unauthorized):
    title = "Account locked"


class OneTimeCodeNeeded(Unauthorized):
    """The password was right but the account's second factor was missing or wrong."""

    title = "One-time code needed"


class UnknownEnterprise(NotFound):
    title = "Unknown enterprise"


class NoDelegation(Forbidden):
    title = "No delegation"
