"""The insight API: serializers shape data, handlers call selectors and services."""
