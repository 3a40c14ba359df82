"""Statistics and clearance-time (WCO Time Release Study) analysis, kept in summary tables maintained from events."""
