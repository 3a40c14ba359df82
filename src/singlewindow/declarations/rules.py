"""Cross-field rules that depend on the deployment, reported like schema errors."""

from pydantic_core import ErrorDetails

from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.errors import InvalidData


def _error(loc: tuple[str | int, ...], msg: str) -> ErrorDetails:
    return ErrorDetails(type="rule", loc=loc, msg=msg, input=None)


def check(declaration: CargoDeclaration, country: str) -> None:
    """Raise ``InvalidData`` naming every rule the declaration breaks in ``country``."""
    errors: list[ErrorDetails] = []
    local_port = "port_of_discharge" if declaration.type == "import" else "port_of_loading"
    port: str = getattr(declaration, local_port)
    if not port.startswith(country):
        errors.append(_error((local_port,), f"an {declaration.type} is declared at a port in {country}, not {port}"))
    foreign_port = "port_of_loading" if declaration.type == "import" else "port_of_discharge"
    if getattr(declaration, foreign_port)[:2] != declaration.country:
        errors.append(
            _error(
                ("country",),
                f"{declaration.country} does not match the country of the {foreign_port.replace('_', ' ')}",
            )
        )
    numbers = [c.number for c in declaration.containers]
    for i, number in enumerate(numbers):
        if number in numbers[:i]:
            errors.append(_error(("containers", i, "number"), f"container {number} is listed twice"))
    if errors:
        raise InvalidData(errors)
