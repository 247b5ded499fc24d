"""Delivery's pages: thin, calling selectors and services."""
