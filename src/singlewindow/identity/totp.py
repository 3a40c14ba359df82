"""Time-based one-time passwords (RFC 6238) for the second factor, via pyotp."""

import pyotp

ISSUER = "Single Window"


def new_secret() -> str:
    return pyotp.random_base32()


def uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def verify(secret: str | None, code: str | None) -> bool:
    """One step of clock drift either way is accepted, as RFC 6238 §5.2 recommends."""
    if not secret or not code:
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1)
