"""Certificates of origin: issued on release, signed, verifiable by anyone, exchanged as e-CO XML."""
