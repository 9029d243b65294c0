"""The weekly early-warning digest's text for one scope (the office: every department)."""

from django.utils.translation import gettext as _

from .filters import DashboardFilters
from .selectors import figures_for
from .warnings import warnings_for


def digest_lines(filters: DashboardFilters) -> list[str]:
    board = figures_for(filters)
    found = warnings_for(filters, board)
    lines = []
    for label, rises in ((_("行业"), found.industries), (_("区划"), found.regions)):
        lines += [
            _("%(label)s %(group)s 问题发现率 %(before)s%% → %(now)s%%")
            % {"label": label, "group": r.group, "before": r.before, "now": r.now}
            for r in rises
        ]
    lines += [
        _("%(name)s：%(n)s 个部门发现问题")
        % {"name": e["visit__entity__name"], "n": e["departments"]}
        for e in found.repeated_problems
    ]
    lines += [
        _("%(name)s：已抽取 %(drawn)s / 应检查 %(due)s，逾期未公示 %(overdue)s")
        % {
            "name": d["row"].name,
            "drawn": d["row"].drawn,
            "due": d["row"].due,
            "overdue": d["row"].overdue,
        }
        for d in found.departments_behind
    ]
    lines += [
        _("%(name)s：短期内被检查 %(n)s 次") % {"name": e["entity__name"], "n": e["visits"]}
        for e in found.frequent_checks
    ]
    lines += [
        _("批次 %(b)s 任务 %(t)s 分层 %(s)s：方案 %(n)s 户，实际抽取 %(m)s 户")
        % {"b": d["batch"], "t": d["task"], "s": d["stratum"], "n": d["designed"], "m": d["drawn"]}
        for d in found.sample_deviations
    ]
    return lines
