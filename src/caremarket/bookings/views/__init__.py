"""The bookings pages: the broker's and practitioner's search and holds, the provider's holds."""
