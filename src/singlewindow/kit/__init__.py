"""Shared building blocks every context may use; depends on no context."""
