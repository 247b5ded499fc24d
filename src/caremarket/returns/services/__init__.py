"""Writes of the returns app: retention of personal details (``retention``)."""
