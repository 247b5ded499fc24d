"""The care_homes API: serializers shape data, handlers call selectors and services."""
