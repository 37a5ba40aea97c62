"""Cursor pagination: a page of up to 100, and an opaque `next` link.

A cursor stays right while rows are added (a page number would shift), and
costs one indexed range scan whatever the depth: `WHERE starts_at > …`.
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        return tuple(view.cursor_ordering)
