"""Password policy per NIST SP 800-63B: length, not a known common password, no composition rules."""

from functools import cache
from importlib.resources import files

MIN_LENGTH = 8
MAX_LENGTH = 128
"""800-63B asks verifiers to accept at least 64 characters."""


@cache
def _common() -> frozenset[str]:
    text = files("singlewindow.identity").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def problem(password: str, *, username: str | None = None) -> str | None:
    """Why the password is refused, or None; deliberately no rules on character classes."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    folded = password.casefold()
    if folded in _common():
        return "is one of the most commonly used passwords; choose another"
    if username and folded == username.casefold():
        return "must not be the username"
    return None
