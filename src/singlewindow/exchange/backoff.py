"""Retry timing: exponential backoff with jitter and a cap (AWS "equal jitter")."""

import random


def retry_delay(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 1023))  # 2.0**1024 raises OverflowError
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 (jitter, not a secret)
