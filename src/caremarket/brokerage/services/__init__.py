"""Every write in brokerage, each in a transaction. Views and API handlers call these."""
