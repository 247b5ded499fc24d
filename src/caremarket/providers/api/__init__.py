"""The providers app's API: providers and their declared capacity. The router in
``caremarket.api.urls`` registers it."""
