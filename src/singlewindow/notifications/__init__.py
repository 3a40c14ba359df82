"""Telling traders what changed: webhook subscriptions fed by status events, signed, retried."""
