"""Message formats: the canonical declaration in UN/EDIFACT, the project's XML and the WCO Data Model."""
