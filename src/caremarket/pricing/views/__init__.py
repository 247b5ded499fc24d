"""The pricing pages: cost of care, fee reviews, price transparency, band reviews."""
