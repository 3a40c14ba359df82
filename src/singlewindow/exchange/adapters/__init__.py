"""Adapters: one module per format + transport; the registry picks one per counterparty."""
