"""Lists shaped page by page: ninja's pagination counts in the database and slices before it
shapes, so a batch of 30,000 visits costs one page of Python work, not the whole list."""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet


class Shaped:
    """`queryset` seen through `shape`, as ninja's PageNumberPagination uses it (`.all().count()`
    and a slice)."""

    def __init__(self, queryset: QuerySet, shape: Callable[[Any], Any]) -> None:
        self.queryset, self.shape = queryset, shape

    def all(self) -> "Shaped":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        return [self.shape(row) for row in self.queryset[index]]

    def __iter__(self) -> Iterator:
        return (self.shape(row) for row in self.queryset.iterator(chunk_size=500))
