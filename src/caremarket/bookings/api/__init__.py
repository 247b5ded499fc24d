"""The bookings API: serializers shape data, handlers call selectors and services."""
