"""Licences and permits: the registry, online verification, reservation and write-off against a balance."""
