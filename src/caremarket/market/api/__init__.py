"""The market's API: zones and the postcode lookup. The router in ``caremarket.api.urls``
registers it."""
