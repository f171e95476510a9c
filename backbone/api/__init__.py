"""The API's shared machinery (`/api/v1/`): personal tokens and their authentication, the
permission class that reads `backbone.permissions`, pagination, filters, the one JSON error
shape, throttling per token and ETags. Resources live in each app's `api.py` and are routed
from `backbone/urls.py`; they reach objects through the same `*_visible_to(membership)`
selectors as the pages and write through the same services as the forms."""
