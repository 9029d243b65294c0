from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

from .types import Id


class CursorIn(Schema):
    cursor: Id | None = None  # the previous page's next_cursor; none for the first page
    limit: int = Field(50, ge=1, le=200)


def keyset_page(queryset: QuerySet, page: CursorIn, render: Callable[[Any], Any]) -> dict:
    """Rows in primary-key order after the cursor (keyset pagination): each page is one index
    range scan however deep, and rows added meanwhile neither repeat nor vanish."""
    rows = list(queryset.filter(pk__gt=page.cursor or 0).order_by("pk")[: page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return {"items": [render(row) for row in rows], "next_cursor": rows[-1].pk if more else None}
