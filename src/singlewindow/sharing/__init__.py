"""Data sharing catalogue: agencies publish data classes, grant each other access, and every access is logged."""
