"""The JSON API (/api/v1/, django-ninja, OpenAPI) and the personal API tokens it is called with."""
