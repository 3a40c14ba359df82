"""Test deployments hash passwords at argon2id's lowest cost.

Nearly every test seeds accounts and signs in; at the production cost (tens of milliseconds
a hash, on purpose) password hashing alone would take minutes of the suite. What is tested
stays the same: a stored hash carries its cost, and a sign-in verifies at that cost.
"""

import os

from singlewindow.identity import credentials

_CHEAP = {"time_cost": 1, "memory_kib": 8, "parallelism": 1}
CHEAP_PASSWORD_HASHING_ENV = {f"SW_PASSWORD_HASH_{name.upper()}": str(value) for name, value in _CHEAP.items()}


def hash_cheaply() -> None:
    """This process and every Settings() and node it makes from its environment hash at the lowest cost."""
    os.environ.update(CHEAP_PASSWORD_HASHING_ENV)
    credentials.configure_password_hashing(**_CHEAP)
