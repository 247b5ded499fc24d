"""Every write of delivery, each in a transaction, refusing with ``core.errors``."""
