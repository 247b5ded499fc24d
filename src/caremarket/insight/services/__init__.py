"""Writes of market sufficiency: imports, statements, narrative, action plan, parameters."""
