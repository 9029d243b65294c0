"""What waits for each role (工作台), most urgent first, each entry a link.

Reads only, scoped like the lists they link to: an inspector sees their own visits and their
department's returned results, a reviewer their department's queue, a liaison their
department's tasks, invitations and overdue results, the office every department.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.draws.models import BatchStatus, DrawBatch
from spotcheck.plans.models import (
    AnnualPlan,
    JointCheck,
    JointCheckStatus,
    PlanStatus,
    SpotCheckTask,
    TaskStatus,
)
from spotcheck.publication.workdays import (
    YearNotInCalendar,
    add_working_days,
    working_days_between,
)

from . import merge_selectors, selectors
from .models import MergeOfferStatus, ResultStatus
from .overdue import overdue_result_list

LIMIT = 20  # entries per section; the section links to the full list
# Apps later in the import order (stats: the reports of a joint check) add sections here at
# start-up: each provider takes (user, today) and returns a list of Section.
section_providers: list = []
PUBLISH_WORKING_DAYS = 20  # results are published within 20 working days of the check


@dataclass
class Entry:
    title: str
    url: str
    note: str = ""
    urgent: bool = False


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    more_url: str = ""
    empty: str = ""


def working_days_left(start: date, today: date, days: int = PUBLISH_WORKING_DAYS) -> int | None:
    """Working days from today to the deadline `days` working days after `start`, by the
    office's calendar; negative once it has passed. None when the calendar lacks a year it needs:
    no count beats a guess that ignores the State Council's holidays."""
    try:
        return working_days_between(today, add_working_days(start, days))
    except YearNotInCalendar:
        return None


def todo_sections(*, user, today: date) -> list[Section]:
    sections: list[Section] = []
    if getattr(user, "inspector", None) is not None:
        sections += _inspector(user, today)
    if user.role == Role.REVIEWER:
        sections += _reviewer(user, today)
    if user.role == Role.DEPARTMENT_ADMIN:
        sections += _liaison(user, today)
    if user.is_office:
        sections += _office(user, today)
    for provider in section_providers:
        sections += provider(user, today)
    # On a phone the first screen matters: sections with something to do come first.
    return sorted(sections, key=lambda section: not section.entries)


def _visit_entry(visit, today: date) -> Entry:
    when = _("今日") if visit.planned_date == today else visit.planned_date.isoformat()
    return Entry(
        title=visit.entity.name,
        url=reverse("inspections:visit", args=[visit.pk]),
        note=f"{when} · {visit.entity.address or '—'}",
        urgent=visit.planned_date <= today,
    )


def _inspector(user, today: date) -> list[Section]:
    visits = selectors.field_visit_list(user=user, today=today)
    upcoming = visits.filter(planned_date__gte=today, planned_date__lte=today + timedelta(days=6))
    not_started = Q(field__isnull=True) | Q(field__completed_at__isnull=True)
    due_today = [_visit_entry(v, today) for v in upcoming.filter(not_started)[:LIMIT]]
    returned = (
        selectors.result_list(user=user)
        .filter(status=ResultStatus.RETURNED, department=user.department_id)
        .select_related("visit__entity", "item")
        .order_by("reviewed_at", "pk")[:LIMIT]
    )
    overdue = visits.filter(overdue=True)[:LIMIT]
    work = reverse("inspections:my_work")
    return [
        Section(
            "returned",
            _("被退回的结果（须修改后重新提交）"),
            [
                Entry(
                    title=f"{r.visit.entity.name} · {r.item.name}",
                    url=reverse("inspections:result", args=[r.pk]),
                    note=_("退回原因：%(note)s") % {"note": r.review_note or "—"},
                    urgent=True,
                )
                for r in returned
            ],
            work,
            _("没有被退回的结果"),
        ),
        Section(
            "overdue",
            _("已超过报送期限的检查"),
            [
                Entry(
                    v.entity.name,
                    reverse("inspections:visit", args=[v.pk]),
                    _("报送期限 %(date)s") % {"date": v.field.results_due.isoformat()},
                    True,
                )
                for v in overdue
            ],
            work,
            _("没有超期的检查"),
        ),
        Section(
            "visits",
            _("今日及本周的检查"),
            due_today,
            work,
            _("今日及本周没有安排检查"),
        ),
    ]


def _reviewer(user, today: date) -> list[Section]:
    queue = selectors.review_queue(user=user)[:LIMIT]
    entries = []
    for result in queue:
        completed = result.visit.field.completed_at if hasattr(result.visit, "field") else None
        start = completed.date() if completed else result.submitted_at.date()
        left = working_days_left(start, today)
        if left is None:
            note = _("工作日历尚未录入所需年份，暂不计算公示期限")
        elif left >= 0:
            note = _("距公示期限还有 %(n)s 个工作日") % {"n": left}
        else:
            note = _("已超过公示期限 %(n)s 个工作日") % {"n": -left}
        entries.append(
            Entry(
                f"{result.visit.entity.name} · {result.item.name}",
                reverse("inspections:result", args=[result.pk]),
                note,
                left is not None and left <= 5,
            )
        )
    entries.sort(key=lambda e: not e.urgent)
    plans = AnnualPlan.objects.filter(department=user.department_id, status=PlanStatus.SUBMITTED)
    return [
        Section(
            "review",
            _("待审核的结果"),
            entries,
            reverse("inspections:review_queue"),
            _("暂无待审核的结果"),
        ),
        Section(
            "plans",
            _("待审核的年度计划"),
            [Entry(str(p), reverse("plans:plan_detail", args=[p.pk])) for p in plans[:LIMIT]],
            reverse("plans:plan_list"),
            _("暂无待审核的年度计划"),
        ),
    ]


def _liaison(user, today: date) -> list[Section]:
    department = user.department_id
    own_task = SpotCheckTask.objects.filter(joint_check=OuterRef("pk"), department=department)
    invitations = (
        JointCheck.objects.filter(partners=department, status=JointCheckStatus.DRAFT)
        .annotate(answered=Exists(own_task))
        .filter(answered=False)
        .select_related("lead_department")
        .order_by("planned_start")
    )
    drafts = SpotCheckTask.objects.filter(department=department, status=TaskStatus.DRAFT).order_by(
        "planned_start", "pk"
    )
    overdue = overdue_result_list(user=user, today=today)[:LIMIT]
    sections = [_failed_draws_section(DrawBatch.objects.filter(department=department))]
    return [
        *(section for section in sections if section.entries),  # only when one needs them
        _merge_section(
            "merges",
            _("合并检查建议（须答复）"),
            merge_selectors.awaiting_answer(user=user),
            today,
            _("没有待答复的合并检查建议"),
        ),
        Section(
            "invitations",
            _("联合抽查邀请（须录入本部门任务）"),
            [
                Entry(
                    j.name,
                    reverse("plans:joint_check_detail", args=[j.pk]),
                    _("%(lead)s 发起 · 计划 %(start)s 开始")
                    % {"lead": j.lead_department.name, "start": j.planned_start.isoformat()},
                    j.planned_start <= today + timedelta(days=14),
                )
                for j in invitations[:LIMIT]
            ],
            reverse("plans:joint_check_list"),
            _("没有待回应的联合抽查邀请"),
        ),
        Section(
            "tasks",
            _("尚未完成的抽查任务（草稿）"),
            [
                Entry(
                    t.name,
                    reverse("plans:task_detail", args=[t.pk]),
                    _("计划 %(start)s 开始") % {"start": t.planned_start.isoformat()},
                    t.planned_start <= today + timedelta(days=14),
                )
                for t in drafts[:LIMIT]
            ],
            reverse("plans:task_list"),
            _("没有未完成的抽查任务"),
        ),
        Section(
            "overdue",
            _("逾期未报送的结果"),
            [
                Entry(
                    f"{r.visit.entity.name} · {r.item.name}",
                    reverse("inspections:visit", args=[r.visit_id]),
                    _("%(department)s · 报送期限 %(date)s")
                    % {
                        "department": r.department.name,
                        "date": r.visit.field.results_due.isoformat(),
                    },
                    True,
                )
                for r in overdue
            ],
            reverse("inspections:overdue_list"),
            _("没有逾期未报送的结果"),
        ),
    ]


def _office(user, today: date) -> list[Section]:
    approvals = JointCheck.objects.filter(status=JointCheckStatus.SUBMITTED).select_related(
        "lead_department"
    )
    behind = (
        overdue_result_list(user=user, today=today)
        .values("department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__name")
    )
    overdue_url = reverse("inspections:overdue_list")
    return [
        _merge_section(
            "merges_open",
            _("待各部门答复的合并检查建议"),
            merge_selectors.merge_offer_list(user=user, status=MergeOfferStatus.OPEN),
            today,
            _("没有待答复的合并检查建议"),
        ),
        Section(
            "approvals",
            _("待审批的联合抽查"),
            [
                Entry(
                    j.name,
                    reverse("plans:joint_check_detail", args=[j.pk]),
                    _("%(lead)s 发起 · 计划 %(start)s 开始")
                    % {"lead": j.lead_department.name, "start": j.planned_start.isoformat()},
                    j.planned_start <= today + timedelta(days=14),
                )
                for j in approvals.order_by("planned_start")[:LIMIT]
            ],
            reverse("plans:joint_check_list"),
            _("没有待审批的联合抽查"),
        ),
        _failed_draws_section(DrawBatch.objects.all()),
        Section(
            "behind",
            _("结果报送滞后的部门"),
            [
                Entry(
                    row["department__name"],
                    overdue_url,
                    _("%(n)s 项结果逾期未报送") % {"n": row["n"]},
                    True,
                )
                for row in behind[:LIMIT]
            ],
            overdue_url,
            _("各部门均按期报送"),
        ),
    ]


def _failed_draws_section(batches) -> Section:
    """Batches whose draw failed, or whose draw job stopped or stalled (继续抽取 on its page)."""
    from spotcheck.draws.resume import draw_stall

    found = batches.filter(status__in=[BatchStatus.FAILED, BatchStatus.DRAWING])
    found = list(found.order_by("-created_at")[: 2 * LIMIT])  # one query; drawing ones are few
    failed = [b for b in found if b.status == BatchStatus.FAILED]
    stalled = [b for b in found if b.status == BatchStatus.DRAWING and draw_stall(b)]

    def note(batch) -> str:
        if batch.status == BatchStatus.FAILED:
            return batch.failure.splitlines()[0][:80] if batch.failure else ""
        return _("抽取任务已中断，可在批次页面继续抽取")

    return Section(
        "failed",
        _("抽取失败或中断的批次"),
        [
            Entry(str(b), reverse("draws:batch_detail", args=[b.pk]), note(b), True)
            for b in [*stalled, *failed][:LIMIT]
        ],
        reverse("draws:batch_list"),
        _("没有抽取失败或中断的批次"),
    )


def _merge_section(key: str, title: str, offers, today: date, empty: str) -> Section:
    """Same-firm merge offers, earliest planned date first: the firm is visited on that day."""
    offers = offers.select_related("entity").order_by("planned_date", "pk")[:LIMIT]
    return Section(
        key,
        title,
        [
            Entry(
                o.entity.name,
                reverse("inspections:merge_detail", args=[o.pk]),
                _("合并后检查日期 %(date)s") % {"date": o.planned_date.isoformat()},
                o.planned_date <= today + timedelta(days=7),
            )
            for o in offers
        ],
        reverse("inspections:merge_list") + "?status=open",
        empty,
    )
