"""Logistics errors."""

from singlewindow.errors import NotFound


class NotFollowed(NotFound):
    """Unknown, or known but none of the caller's business: the answer is the same, so nothing leaks."""

    title = "Not followed"


class PermitNotFound(NotFound):
    title = "Unknown permit"


class SubscriptionNotFound(NotFound):
    title = "Unknown subscription"
