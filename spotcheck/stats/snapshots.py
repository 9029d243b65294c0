"""Precomputed dashboards: the job computes each year's figures for the district and for every
department and stores them; the page reads one row. Derived data, rebuilt whole each time (no
one decides anything here, so no audit event: the figures' records stay live)."""

import json
from dataclasses import asdict
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from spotcheck.accounts.models import Department
from spotcheck.directory.models import CreditClass

from .cells import cells_refresh, filtered_board
from .filters import DashboardFilters
from .models import DashboardSnapshot
from .reach import Reach, ReachRow
from .selectors import Dashboard, DepartmentRow, figures_for
from .warnings import RateRise, Warnings, warnings_for


def _to_data(board: Dashboard, found: Warnings) -> dict:
    reach = board.reach or Reach([], ReachRow(0, ""), {})
    data = {
        "departments": [asdict(r) for r in board.departments],
        "total": asdict(board.total),
        "publication": board.publication,
        "calendar_missing": board.calendar_missing,
        "coordination": board.coordination,
        "follow_ups": board.follow_ups,
        "workload": board.workload,
        "categories": board.categories,
        "credit_classes": [
            {k: v for k, v in c.items() if k != "label"} for c in board.credit_classes
        ],
        "approved_results": board.approved_results,
        "problem_results": board.problem_results,
        "warnings": {
            "industries": [asdict(r) for r in found.industries],
            "regions": [asdict(r) for r in found.regions],
            "repeated_problems": found.repeated_problems,
            "departments_behind": [
                {"row": asdict(d["row"]), "reasons": d["reasons"]} for d in found.departments_behind
            ],
            "frequent_checks": found.frequent_checks,
            "sample_deviations": found.sample_deviations,
        },
        "reach": {
            "departments": [asdict(r) for r in reach.departments],
            "total": asdict(reach.total),
            "ratings": reach.ratings,
        },
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _reach_from(data: dict | None) -> Reach | None:
    if data is None:  # stored before the figures existed: the page computes none
        return None
    return Reach(
        [ReachRow(**r) for r in data["departments"]], ReachRow(**data["total"]), data["ratings"]
    )


def _from_data(filters: DashboardFilters, data: dict) -> tuple[Dashboard, Warnings]:
    labels = dict(CreditClass.choices)
    board = Dashboard(
        filters=filters,
        departments=[DepartmentRow(**r) for r in data["departments"]],
        total=DepartmentRow(**data["total"]),
        publication=data["publication"],
        calendar_missing=data["calendar_missing"],
        coordination=data["coordination"],
        follow_ups=data["follow_ups"],
        workload=data["workload"],
        categories=data["categories"],
        credit_classes=[c | {"label": labels[c["credit_class"]]} for c in data["credit_classes"]],
        approved_results=data["approved_results"],
        problem_results=data["problem_results"],
        reach=_reach_from(data.get("reach")),
    )
    w = data["warnings"]
    found = Warnings(
        industries=[RateRise(**r) for r in w["industries"]],
        regions=[RateRise(**r) for r in w["regions"]],
        repeated_problems=w["repeated_problems"],
        departments_behind=[
            {"row": DepartmentRow(**d["row"]), "reasons": d["reasons"]}
            for d in w["departments_behind"]
        ],
        frequent_checks=w["frequent_checks"],
        sample_deviations=w.get("sample_deviations", []),
    )
    return board, found


def snapshot_for(filters: DashboardFilters) -> tuple[Dashboard, Warnings, datetime] | None:
    """The stored figures for scoped filters, or None (not computed yet). Filtered by an
    industry or region: the snapshot narrowed by the precomputed cells (see cells)."""
    row = DashboardSnapshot.objects.filter(
        year=filters.year, department_key=filters.department_id or 0
    ).first()
    if row is None:
        return None
    board, found = _from_data(filters, row.data)
    if filters.industry or filters.region:
        if "cells_at" not in row.data:  # stored before the cells existed: computed live
            return None
        board, found = filtered_board(board, found, filters)
    return board, found, row.computed_at


def snapshots_refresh(*, years: list[int]) -> int:
    """Recompute the district's and every department's figures for the years; rows written."""
    keys = [0, *Department.objects.filter(is_active=True).values_list("pk", flat=True)]
    written = 0
    for year in years:
        cells_refresh(year)
        cells_at = timezone.now().isoformat()
        for key in keys:
            filters = DashboardFilters(year=year, department_id=key or None)
            board = figures_for(filters)
            data = _to_data(board, warnings_for(filters, board)) | {"cells_at": cells_at}
            with transaction.atomic():
                DashboardSnapshot.objects.update_or_create(
                    year=year,
                    department_key=key,
                    defaults={"data": data, "computed_at": timezone.now()},
                )
            written += 1
    return written
