"""Analytics errors."""

from singlewindow.errors import Forbidden, InvalidData


class OtherAgency(Forbidden):
    title = "Another agency's figures"


def invalid(loc: tuple[str, ...], message: str, value: object) -> InvalidData:
    """A value that cannot be answered, named by its path as the problem's field."""
    return InvalidData([{"type": "value_error", "loc": loc, "msg": message, "input": value, "ctx": {}}])
