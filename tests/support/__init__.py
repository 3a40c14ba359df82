"""Helpers shared by the test levels: documents, an in-process network, flow driving."""
