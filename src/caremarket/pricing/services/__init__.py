"""Every write of pricing, each in a transaction, refusing with ``core.errors``."""
