from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page numbers with an upper bound: page 2⁶³ would overflow the database's OFFSET
    (a 500), and no list is that long."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=500)
