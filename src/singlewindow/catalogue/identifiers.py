"""Shapes of transport identifiers that carry no check digit: flights, aircraft, trains, road vehicles, UN numbers.

Each function says why a value is not such an identifier, or returns None. They check the
published format only; whether the aircraft, train or vehicle exists is the agencies' business.
"""

import re

_ICAO_AIRLINE = r"[A-Z]{3}"
_IATA_AIRLINE = r"(?:[A-Z]{2}|[A-Z][0-9]|[0-9][A-Z])"
_FLIGHT = re.compile(rf"^(?:{_ICAO_AIRLINE}|{_IATA_AIRLINE})(?P<number>[0-9]{{1,4}})[A-Z]?$")
_REGISTRATION = re.compile(r"^(?=.{2,10}$)[A-Z0-9]{1,2}-?[A-Z0-9]{1,6}$")
_TRAIN = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


def flight_number_problem(value: str) -> str | None:
    """A flight designator: IATA (2 characters, not both digits) or ICAO (3 letters) airline code, 1-4 digits, a suffix.

    IATA Standard Schedules Information Manual (SSIM) chapter 2; ICAO Doc 8585 for the 3-letter codes.
    """
    if not _FLIGHT.match(value):
        return "must be an airline designator (IATA 2 characters or ICAO 3 letters) and 1 to 4 digits, e.g. CA931"
    return None


def aircraft_registration_problem(value: str) -> str | None:
    """Nationality mark and registration mark (ICAO Annex 7), e.g. B-1234, N123AB, 9V-SKA."""
    if not _REGISTRATION.match(value) or not any(ch.isalpha() for ch in value):
        return "must be the nationality and registration marks in capitals, e.g. B-1234 or N123AB"
    return None


def train_number_problem(value: str) -> str | None:
    if not _TRAIN.match(value) or not any(ch.isdigit() for ch in value):
        return "must be capital letters and digits (hyphens between them), with at least one digit, e.g. X8024"
    return None


def vehicle_plate_problem(value: str) -> str | None:
    """Letters of any script, digits, single spaces, hyphens or middle dots (粤B·12345), at least one digit."""
    allowed = all(ch.isalnum() or ch in " -·" for ch in value)
    if not allowed or "  " in value or not any(ch.isdigit() for ch in value) or value != value.upper():
        return "must be the plate as written (capital letters, digits, spaces, hyphens), e.g. 粤B12345"
    return None


def un_number_problem(value: str) -> str | None:
    """Four digits of the UN Model Regulations' Dangerous Goods List (0004 and up), without the UN prefix."""
    if len(value) != 4 or not (value.isascii() and value.isdigit()) or value == "0000":
        return "must be 4 digits, e.g. 1203"
    return None
