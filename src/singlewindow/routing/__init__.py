"""Which agencies must act on a declaration, decided by rules that are data."""
