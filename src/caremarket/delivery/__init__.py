"""Visits, verification and pay runs."""
