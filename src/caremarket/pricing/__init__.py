"""Prices, fee reviews and entry-point applications."""
