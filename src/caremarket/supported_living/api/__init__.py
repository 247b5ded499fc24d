"""The supported living API: serializers shape data, handlers call selectors and services."""
