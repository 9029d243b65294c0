"""Last year in the demo district, so that every public page and the deadlines have content on
first start: the market bureau's annual plan published, a batch committed and drawn by the real
engine, its visits checked, results approved and published (most on time, some late, two
amended and republished, one withheld as not suitable for disclosure on a legal ground).

Everything goes through the services except what only time can do: field work and review are
written directly, and timestamps are moved back into last year (the audit trail keeps the
moment the demo was loaded)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F

from spotcheck.accounts.models import User
from spotcheck.demo.past_joint_check import load_past_joint_check
from spotcheck.draws.drawing import batch_run_draw
from spotcheck.draws.models import DrawBatch
from spotcheck.draws.services import batch_commit, batch_create, batch_request_draw
from spotcheck.inspections.models import FieldVisit, ItemResult, ResultCategory, ResultStatus
from spotcheck.inspections.services import amendment_propose, amendment_review, ensure_results
from spotcheck.items.models import CheckItem
from spotcheck.plans.services import plan_create, plan_transition, task_create
from spotcheck.plans.validation import TaskDraft
from spotcheck.publication.models import PublicRecord
from spotcheck.publication.services.publishing import (
    exemption_decide,
    exemption_request,
    task_publish,
)
from spotcheck.publication.workdays import add_working_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
ITEM = "餐饮服务提供者监督检查"
LATE_EVERY = 7  # one record in seven published after its deadline
CORRECTED_FINDING = "后厨生熟食品混放，部分食品原料未按要求分区存放"
CORRECTED_MEASURE = "责令当场改正，已调整食品原料分区存放"
LEGAL_GROUND = (
    "《中华人民共和国政府信息公开条例》第十五条：涉及个人隐私，公开会对第三方合法权益造成损害"
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def load_past_year(departments) -> None:
    year = date.today().year - 1
    market = departments["SCJGJ"]
    liaison = User.objects.get(username="liaison_zhao")
    reviewer = User.objects.get(username="reviewer_li")
    office = User.objects.get(username="office_admin_wang")

    plan = plan_create(
        actor=liaison, department=market, year=year, name=f"{year}年度双随机抽查工作计划"
    )
    plan_transition(actor=liaison, plan=plan, action="submit")
    plan_transition(actor=reviewer, plan=plan, action="approve")
    plan_transition(actor=liaison, plan=plan, action="file")
    plan_transition(actor=office, plan=plan, action="publish")

    version = CheckItem.objects.get(department=market, current_version__name=ITEM).current_version
    start, end = date(year, 4, 1), date(year, 6, 30)
    draft = TaskDraft(
        department_id=market.pk,
        directed=False,
        items=[version],
        population_filter={"industry_prefixes": ["621"]},
        mode="ratio",
        values={"*": "0.03"},
        n=None,
        planned_start=start,
        planned_end=end,
    )
    task = task_create(
        actor=liaison,
        department=market,
        draft=draft,
        name=f"{year}年正餐服务单位食品安全抽查",
        plan=plan,
    )
    batch = batch_create(
        actor=liaison,
        name=f"{year}年正餐服务单位抽查 第一批",
        tasks=[task],
        randomness_source="两名见证人掷骰子8次",
        randomness_due=_at(date(year, 3, 20)),
    )
    batch = batch_commit(actor=liaison, batch=batch)
    batch_request_draw(
        actor=liaison, batch=batch, randomness="3 5 2 6 1 4 4 2", witnesses="钱见证、吴见证"
    )
    batch = batch_run_draw(batch.pk)
    if batch.status != "drawn":
        raise RuntimeError(f"the demo's past-year draw failed: {batch.failure}")
    DrawBatch.objects.filter(pk=batch.pk).update(
        created_at=_at(date(year, 3, 10)),
        committed_at=_at(date(year, 3, 12)),
        randomness_entered_at=_at(date(year, 3, 20)),
        drawn_at=_at(date(year, 3, 20), 11),
    )
    plan.__class__.objects.filter(pk=plan.pk).update(published_at=_at(date(year, 2, 20)))

    visits = list(batch.visits.select_related("entity").order_by("visit_id"))
    categories = {c.code: c for c in ResultCategory.objects.filter(department=None)}
    for number, visit in enumerate(visits):
        _check(visit, number, year, reviewer, categories)

    # The draw gives about one visit per thousand entities; the smallest demo still has four.
    exemption = exemption_request(
        actor=liaison, task=task, visit=visits[1], legal_ground=LEGAL_GROUND
    )
    exemption_decide(actor=office, exemption=exemption, approve=True)
    task_publish(actor=liaison, task=task)
    _backdate_publication(task)
    for visit in visits[2:4]:
        result = visit.results.get()
        amendment = amendment_propose(
            actor=liaison,
            result=result,
            reason="复核现场记录，问题已于检查当日当场改正",
            categories=[categories["corrected"]],
            finding=CORRECTED_FINDING,
            measures=CORRECTED_MEASURE,
        )
        amendment_review(actor=reviewer, amendment=amendment, approve=True)  # republishes
    PublicRecord.objects.filter(task=task, version__gt=1).update(
        corrected_at=F("published_at") + timedelta(days=30)
    )
    load_past_joint_check(departments, year)


def _check(visit, number: int, year: int, reviewer, categories) -> None:
    """A visit checked between April and June: what inspectors and the reviewer would enter."""
    ensure_results(visit)
    done = date(year, 4, 7) + timedelta(days=(number * 3) % 80)
    if number % 11 == 10:
        outcome, chosen = FieldVisit.Outcome.NOT_POSSIBLE, categories["unreachable"]
    elif number % 5 == 4:
        outcome, chosen = FieldVisit.Outcome.CHECKED, categories["corrected"]
    else:
        outcome, chosen = FieldVisit.Outcome.CHECKED, categories["no_problem"]
    FieldVisit.objects.filter(visit=visit).update(
        outcome=outcome,
        arrived_at=_at(done, 9),
        completed_at=_at(done, 11),
        results_due=done + timedelta(days=10),
        not_possible_category=chosen if outcome == FieldVisit.Outcome.NOT_POSSIBLE else None,
    )
    for result in ItemResult.objects.filter(visit=visit):
        result.categories.set([chosen])
    corrected = chosen.code == "corrected"  # an order to correct says what was found and ordered
    ItemResult.objects.filter(visit=visit).update(
        finding=CORRECTED_FINDING if corrected else "",
        measures=CORRECTED_MEASURE if corrected else "",
        status=ResultStatus.APPROVED,
        entered_at=_at(done, 15),
        submitted_at=_at(done, 16),
        reviewer=reviewer,
        reviewed_at=_at(done + timedelta(days=2)),
    )


def _backdate_publication(task) -> None:
    """Published a few working days after review; every seventh a week after its deadline."""
    for number, record in enumerate(PublicRecord.objects.filter(task=task).order_by("record_id")):
        if number % LATE_EVERY == 0:
            published = record.due_on + timedelta(days=7)
        else:
            published = add_working_days(record.completed_on, 5 + number % 10)
        PublicRecord.objects.filter(pk=record.pk).update(
            published_on=published,
            published_at=_at(published, 15),
            on_time=published <= record.due_on,
        )
