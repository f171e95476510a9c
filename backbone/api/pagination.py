"""Pages of 50 (`?page=2`, `?page_size=` up to 200), with the count and links."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
