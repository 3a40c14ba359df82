"""The audit log: who did what, when, written in the same transaction as the change."""
