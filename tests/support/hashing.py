"""Test deployments hash passwords at argon2id's lowest cost.

Nearly every test seeds accounts and signs in; at the production cost (tens of milliseconds
a hash, on purpose) password hashing alone would take minutes of the suite. What is tested
stays the same: a stored hash carries its cost, and a sign-in verifies at that cost.
"""

_CHEAP = {"password_hash_time_cost": 1, "password_hash_memory_kib": 8, "password_hash_parallelism": 1}
CHEAP_PASSWORD_HASHING_ENV = {f"SW_{name.upper()}": str(value) for name, value in _CHEAP.items()}
