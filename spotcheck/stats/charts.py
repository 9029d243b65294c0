"""The numbers the browser draws as ECharts, with the link each bar opens. Only labels and
counts: the page's own tables carry the same figures for printing and for screen readers."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import Dashboard


def _link(figure: str, query: dict, **extra) -> str:
    return f"{reverse('stats:records', args=[figure])}?{urlencode(query | extra)}"


def chart_data(board: Dashboard) -> dict:
    query = board.filters.as_query()
    funnel_labels = [_("应检查"), _("已抽取"), _("已检查"), _("已审核"), _("已公示")]
    funnel_keys = ["due", "drawn", "visited", "approved", "published"]
    return {
        "funnel": {
            "labels": funnel_labels,
            "values": [getattr(board.total, key) for key in funnel_keys],
            "links": [_link(key, query) for key in funnel_keys],
        },
        "workload": {
            "labels": [w["inspector__name"] for w in board.workload],
            "values": [w["visits"] for w in board.workload],
            "links": [_link("inspector", query, key=w["inspector_id"]) for w in board.workload],
        },
        "categories": {
            "labels": [c["resultcategory__name"] for c in board.categories],
            "values": [c["results"] for c in board.categories],
            "links": [
                _link("category", query, key=c["resultcategory__code"]) for c in board.categories
            ],
        },
        "credit": {
            "labels": [c["label"] for c in board.credit_classes],
            "values": [c["rate"] or 0 for c in board.credit_classes],
            "links": [
                _link("credit_class", query, key=c["credit_class"]) for c in board.credit_classes
            ],
        },
    }
