"""Qualifications: the registrations and filings an enterprise needs before it may declare."""
