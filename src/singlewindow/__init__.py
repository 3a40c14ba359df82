"""Single Window: declare once, released once."""
