"""The notice letter as PDF: a Django template rendered by WeasyPrint, fonts from fontconfig."""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from spotcheck.draws.models import Visit

from .context import first_print_pin, notice_context

TEMPLATE = "draws/notice/notice.html"
# Not a real location: relative URLs resolve against it and the fetcher refuses them anyway.
BASE_URL = "about:blank"


class OfflineFetcher(URLFetcher):
    """Refuses every URL except inline data: the letter never reaches the network or the disk."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"notice letters fetch no resources: {url[:80]}")


def render_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=OfflineFetcher())
    return document.write_pdf()


def notice_html(visit: Visit, **options) -> str:
    return render_to_string(TEMPLATE, notice_context(visit, **options))


def notice_pdf(
    visit: Visit, *, pin: str | None = None, pin_issued=None, issued_by=None, **options
) -> bytes:
    """The letter for `visit` as PDF bytes; `options` go to `notice_context` (e.g. issued_on).
    With `pin` (just issued or reissued) the letter carries it; else a first print by
    `issued_by` (who sends the letter) issues the visit's PIN, and any other print carries none
    and says where the firm gets it."""
    if pin is None:
        pin = first_print_pin(visit, pin_issued, issued_by=issued_by)
    return render_pdf(notice_html(visit, pin=pin, **options))
