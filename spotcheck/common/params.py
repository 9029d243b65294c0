from django.http import Http404

INT64_MAX = 2**63 - 1


def id_or_404(text: str) -> int:
    """A primary key read from a query string: anything that cannot be one is simply not found
    (int("abc") or an id past a bigint would otherwise be a 500)."""
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= INT64_MAX:
        raise Http404
    return int(text)
