"""Care homes and vacancy returns."""
