"""The frameworks app's API: frameworks, appointments and prices. The router in
``caremarket.api.urls`` registers it."""
