"""The analytics tests drive the CLI too."""

from support.cli import cli

__all__ = ["cli"]
