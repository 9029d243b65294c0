"""The oversight dashboard and the records behind each of its figures. Thin: reads through
selectors; the office and oversight see every department, a department its own."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from spotcheck.common.pagination import paginate, query_without_page

from .charts import chart_data
from .filters import filters_from_request
from .records import figure_records
from .rules import can_view_dashboard, sees_every_department
from .selectors import WORKLOAD_TOP, scoped_filters
from .selectors import dashboard as dashboard_figures
from .snapshots import snapshot_for
from .warnings import warnings_for


@login_required
def dashboard(request):
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    form, filters = filters_from_request(request)
    stored = snapshot_for(scoped_filters(request.user, filters))
    if stored is None:
        figures = dashboard_figures(user=request.user, filters=filters)
        found, computed_at = warnings_for(figures.filters, figures), None
    else:
        figures, found, computed_at = stored
    query = figures.filters.as_query()
    context = {
        "form": form,
        "board": figures,
        "qs": urlencode(query),
        "qs_all": urlencode({k: v for k, v in query.items() if k != "department"}),
        "qs_last": urlencode(query | {"year": figures.filters.year - 1}),
        "qs_last_all": urlencode(
            {k: v for k, v in query.items() if k != "department"}
            | {"year": figures.filters.year - 1}
        ),
        "onsite_cut": settings.SPOTCHECK_STATS["ONSITE_REDUCTION_TARGET"],
        "department_cap": settings.SPOTCHECK_CHECK_LIMITS["YEARLY_CAP_PER_DEPARTMENT"],
        "all_departments": sees_every_department(request.user),
        "charts": chart_data(figures),
        "workload_top": WORKLOAD_TOP,
        "warnings": found,
        "computed_at": computed_at,
        "repeat_days": settings.SPOTCHECK_CHECK_LIMITS["REPEAT_WARNING_DAYS"],
    }
    return render(request, "stats/dashboard.html", context)


@login_required
def records(request, figure):
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    _form, filters = filters_from_request(request)
    key = request.GET.get("key", "")
    found, rows = figure_records(user=request.user, figure=figure, filters=filters, key=key)
    context = {
        "figure": found,
        "key": key,
        "filters": scoped_filters(request.user, filters),
        "page": paginate(request, rows),
        "query": query_without_page(request),
        "hide_export": True,
    }
    return render(request, "stats/records.html", context)
