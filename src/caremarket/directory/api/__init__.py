"""The public directory's API: the directory search and the Open Referral UK 3.0 endpoints.
The router in ``caremarket.api.urls`` registers them."""
