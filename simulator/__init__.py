"""IND caseload simulator."""
