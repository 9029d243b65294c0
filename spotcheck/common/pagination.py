from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
# Beyond this many rows a list says "more than 10,000" instead of counting them all: at a
# province a department's exact count scans 150,000 links for every page view, and nobody
# pages through 200 pages instead of filtering.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows (``capped`` says the list is longer). A subclass with
    another cap overrides ``cap``."""

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list, self.cap)[0]

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def capped_count(queryset, cap: int | None = None) -> tuple[int, bool]:
    """(rows counted, more than the cap): a LIMIT inside the count, no ordering."""
    cap = COUNT_CAP if cap is None else cap
    counted = queryset.order_by()[: cap + 1].count()
    return counted, counted > cap


def paginate(request, queryset, per_page: int = PAGE_SIZE, paginator_class=Paginator):
    """A page of `queryset`; counting is capped by the paginator's own query."""
    return paginator_class(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
