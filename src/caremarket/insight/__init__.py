"""Market sufficiency."""
