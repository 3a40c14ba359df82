"""Cargo declarations: intake, validation, lifecycle, consolidation of agency decisions."""
