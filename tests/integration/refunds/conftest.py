"""The ``cli`` fixture for these tests."""

from support.cli import cli

__all__ = ["cli"]
