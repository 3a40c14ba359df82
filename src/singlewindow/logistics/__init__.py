"""Transport and logistics: vessel calls and departure permits, manifests and their bills of lading, port events."""
