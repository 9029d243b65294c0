"""Last year's finished joint check in the demo, so the joint-check reports and the timetable
have content: the market bureau leads, the health commission joins; every visit checked, results
approved and published; each department's result report and summary signed, the team leader's
summary report and the office's yearly summary signed (Lüyuan steps 6–8). The health
commission's summary came two days late, so the timetable has something to show.

Services throughout, except what only time can do: field work, review and the moment each report
was signed are written into last year directly (the audit trail keeps the load time)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from spotcheck.accounts.models import User
from spotcheck.draws.drawing import batch_run_draw
from spotcheck.draws.services import batch_commit, batch_create, batch_request_draw
from spotcheck.inspections.models import FieldVisit, ItemResult, ResultCategory, ResultStatus
from spotcheck.inspections.services import ensure_results
from spotcheck.plans.models import JointCheck
from spotcheck.plans.services import (
    joint_check_create,
    joint_check_decide,
    joint_check_submit,
)
from spotcheck.publication.models import PublicRecord
from spotcheck.publication.services.publishing import task_publish
from spotcheck.stats.joint_reports.models import CheckReportVersion, ReportKind
from spotcheck.stats.joint_reports.services import report_open, report_refresh, report_sign

from .joint_tasks import catering_task

SHANGHAI = ZoneInfo("Asia/Shanghai")
NAME = "餐饮服务单位燃气与卫生联合抽查"
# (department, item, liaison, reviewer, probability by credit-risk class, as the ready check)
MEMBERS = [
    (
        "SCJGJ",
        "餐饮服务提供者监督检查",
        "liaison_zhao",
        "reviewer_li",
        {"A": "0.02", "B": "0.05", "C": "0.3", "D": "0.8"},
    ),
    (
        "WJW",
        "餐饮场所控烟检查",
        "liaison_sun",
        "reviewer_zhou",
        {"A": "0.02", "B": "0.04", "C": "0.15", "D": "0.3"},
    ),
]
FINDING = "未按规定设置禁止吸烟标识"
MEASURE = "当场责令改正，已张贴禁烟标识"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def load_past_joint_check(departments, year: int) -> JointCheck:
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    office = users["office_admin_wang"]
    lead = users["liaison_zhao"]
    start, end = date(year, 9, 1), date(year, 9, 30)
    joint = joint_check_create(
        actor=lead,
        name=NAME,
        partners=[departments["WJW"]],
        planned_start=start,
        planned_end=end,
    )
    for code, item_name, liaison, _reviewer, probabilities in MEMBERS:
        department = departments[code]
        catering_task(
            actor=users[liaison],
            department=department,
            item_name=item_name,
            probabilities=probabilities,
            start=start,
            end=end,
            name=f"{NAME}（{department.name}）",
            joint=joint,
        )
    joint = joint_check_submit(actor=lead, joint=joint)
    joint = joint_check_decide(actor=office, joint=joint, approve=True)
    batch = batch_create(
        actor=lead,
        name=f"{NAME} 第一批",
        joint_check=joint,
        tasks=[],
        randomness_source="两名见证人掷骰子8次",
        randomness_due=_at(date(year, 8, 25)),
    )
    batch = batch_commit(actor=lead, batch=batch)
    batch_request_draw(
        actor=lead, batch=batch, randomness="6 1 4 2 5 3 3 1", witnesses="钱见证、吴见证"
    )
    batch = batch_run_draw(batch.pk)
    if batch.status != "drawn":
        raise RuntimeError(f"the demo's past joint check failed to draw: {batch.failure}")
    ended = _field_work(batch, year, users)
    for task in joint.tasks.select_related("department"):
        member = next(m for m in MEMBERS if m[0] == task.department.code)
        task_publish(actor=users[member[2]], task=task)
        PublicRecord.objects.filter(task=task).update(
            published_on=ended + timedelta(days=9),
            published_at=_at(ended + timedelta(days=9), 15),
            on_time=True,
        )
    _reports(joint, ended, users, office, year)
    return joint


def _field_work(batch, year: int, users) -> date:
    """Visits checked on September weekdays; the market's results in one visit of three found a
    problem corrected on the spot. Returns the day the last visit was done."""
    categories = {c.code: c for c in ResultCategory.objects.filter(department=None)}
    reviewers = {code: users[reviewer] for code, _i, _l, reviewer, _p in MEMBERS}
    last = date(year, 9, 1)
    for number, visit in enumerate(batch.visits.order_by("visit_id")):
        done = date(year, 9, 7) + timedelta(days=(number * 2) % 18)
        while done.weekday() >= 5:
            done += timedelta(days=1)
        last = max(last, done)
        ensure_results(visit)
        FieldVisit.objects.filter(visit=visit).update(
            outcome=FieldVisit.Outcome.CHECKED,
            arrived_at=_at(done, 9),
            completed_at=_at(done, 11),
            results_due=done + timedelta(days=10),
        )
        for result in ItemResult.objects.filter(visit=visit).select_related("department"):
            problem = number % 3 == 1 and result.department.code == "WJW"
            result.categories.set([categories["corrected" if problem else "no_problem"]])
            ItemResult.objects.filter(pk=result.pk).update(
                finding=FINDING if problem else "",
                measures=MEASURE if problem else "",
                status=ResultStatus.APPROVED,
                entered_at=_at(done, 15),
                submitted_at=_at(done, 16),
                reviewer=reviewers[result.department.code],
                reviewed_at=_at(done + timedelta(days=1)),
            )
    return last


def _signed(report, signer, on: date) -> None:
    """Sign now, then move the signature back to the day it was given."""
    version = report_sign(actor=signer, report=report)
    CheckReportVersion.objects.filter(pk=version.pk).update(
        signed_at=_at(on, 16),
        on_time=version.due_on is None or on <= version.due_on,
    )


def _reports(joint, ended: date, users, office, year: int) -> None:
    for _code, _item, liaison, reviewer, _p in MEMBERS:
        result = report_open(actor=users[liaison], kind=ReportKind.RESULT, joint=joint)
        _signed(result, users[reviewer], ended + timedelta(days=6))
    for code, _item, liaison, reviewer, _p in MEMBERS:
        summary = report_open(actor=users[liaison], kind=ReportKind.DEPARTMENT_SUMMARY, joint=joint)
        late = code == "WJW"
        _signed(summary, users[reviewer], ended + timedelta(days=9 if late else 5))
    summary = report_open(actor=users["liaison_zhao"], kind=ReportKind.SUMMARY, joint=joint)
    summary = report_refresh(actor=users["liaison_zhao"], report=summary)
    _signed(summary, users["reviewer_li"], ended + timedelta(days=8))
    yearly = report_open(actor=office, kind=ReportKind.YEARLY, year=year)
    _signed(yearly, office, date(year, 12, 8))
