"""Analytics errors."""

from singlewindow.errors import Forbidden, InvalidData


class OtherAgency(Forbidden):
    title = "Another agency's figures"


def invalid(field: str, message: str, value: object) -> InvalidData:
    """A query parameter that cannot be answered, named as the problem's field."""
    return InvalidData([{"type": "value_error", "loc": ("query", field), "msg": message, "input": value, "ctx": {}}])
