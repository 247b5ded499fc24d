"""Brokerage's API, beside the app: thin DRF handlers over the same selectors and services as
the web pages. The router in ``caremarket.api.urls`` registers the viewsets; nothing here
imports ``caremarket.api``."""
