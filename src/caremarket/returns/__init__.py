"""Statutory returns built from the platform's events: DHSC Client Level Data (issue 15)."""
