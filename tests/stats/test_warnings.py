"""Early warning: each list names the records behind it, and the weekly digest goes out once."""

from datetime import date

from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections.models import FieldVisit
from spotcheck.plans.models import AnnualPlan, PlanBatch, PlanStatus
from spotcheck.stats.models import WarningDigest
from spotcheck.stats.services import warning_digest_send
from tests.factories import EntityFactory

from .builders import YEAR, District

CHECKED = FieldVisit.Outcome.CHECKED
DASHBOARD = reverse("stats:dashboard")


def warnings(client, **query):
    return client.get(DASHBOARD, {"year": YEAR, **query}).context["warnings"]


def test_a_firm_checked_twice_within_sixty_days(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    firm = EntityFactory(name="北京重复检查有限公司")
    District(market_dept, liaison_zhao).visit(entity=firm, on=date(YEAR, 4, 1))
    District(health_dept, liaison_sun).visit(entity=firm, on=date(YEAR, 5, 20))
    far_apart = EntityFactory()
    District(market_dept, liaison_zhao).visit(entity=far_apart, on=date(YEAR, 3, 1))
    District(market_dept, liaison_zhao).visit(entity=far_apart, on=date(YEAR, 9, 1))

    client = client_for(office_admin_wang)
    found = warnings(client).frequent_checks
    assert [(f["entity__name"], f["visits"]) for f in found] == [("北京重复检查有限公司", 2)]
    records = client.get(
        reverse("stats:records", args=["entity_visits"]),
        {"year": YEAR, "key": found[0]["entity_id"]},
    )
    assert records.context["page"].paginator.count == 2


def test_an_entity_with_problems_found_by_two_departments(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    firm = EntityFactory(name="北京问题较多有限公司")
    District(market_dept, liaison_zhao).visit(entity=firm, outcome=CHECKED, codes=["corrected"])
    District(health_dept, liaison_sun).visit(entity=firm, outcome=CHECKED, codes=["follow_up"])
    District(market_dept, liaison_zhao).visit(outcome=CHECKED, codes=["corrected"])

    found = warnings(client_for(office_admin_wang)).repeated_problems
    assert [(f["visit__entity__name"], f["departments"]) for f in found] == [
        ("北京问题较多有限公司", 2)
    ]
    # the health commission sees it too: it found one of the problems
    assert len(warnings(client_for(liaison_sun)).repeated_problems) == 1


def test_an_industry_whose_problem_rate_rose(
    market_dept, liaison_zhao, office_admin_wang, client_for
):
    last, this = (
        District(market_dept, liaison_zhao, year=YEAR - 1),
        District(market_dept, liaison_zhao),
    )
    for n in range(10):
        last.visit(outcome=CHECKED, codes=["corrected" if n < 1 else "no_problem"])
        this.visit(outcome=CHECKED, codes=["corrected" if n < 4 else "no_problem"])

    (rise,) = warnings(client_for(office_admin_wang)).industries
    assert (rise.group, rise.before, rise.now, rise.rise) == ("52", 10.0, 40.0, 30.0)
    page = client_for(office_admin_wang).get(DASHBOARD, {"year": YEAR}).content.decode()
    assert "行业 52：问题发现率 10.0% → 40.0%（上升 30.0 个百分点）" in page


def test_a_department_behind_its_plan(market_dept, liaison_zhao, office_admin_wang, client_for):
    plan = AnnualPlan.objects.create(
        number="P-1",
        department=market_dept,
        year=YEAR,
        name="计划",
        status=PlanStatus.PUBLISHED,
        created_by=liaison_zhao,
    )
    PlanBatch.objects.create(plan=plan, name="第一批", count=5, start_month=3, end_month=6)
    District(market_dept, liaison_zhao).visit()

    (behind,) = warnings(client_for(office_admin_wang)).departments_behind
    assert behind["row"].drawn == 1 and behind["row"].due == 5 and behind["reasons"] == ["plan"]


def test_the_weekly_digest_goes_out_once_and_is_audited(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang
):
    firm = EntityFactory()
    District(market_dept, liaison_zhao).visit(entity=firm, on=date(YEAR, 4, 1))
    District(health_dept, liaison_sun).visit(entity=firm, on=date(YEAR, 4, 20))
    monday = date(YEAR, 6, 1)

    sent = warning_digest_send(today=monday)
    again = warning_digest_send(today=date(YEAR, 6, 3))

    # the office and both liaisons: each department sees the firm it visited
    assert (sent, again) == (3, 0)
    office_digest = WarningDigest.objects.get(user=office_admin_wang)
    assert any("短期内被检查 2 次" in line for line in office_digest.lines)
    assert AuditEvent.objects.filter(event_type=AuditEventType.WARNING_DIGEST_SENT).count() == 3


def test_a_draw_whose_sample_deviates_from_its_design(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    # the market bureau asked for 5 firms in class A and 5 in class B; the draw recorded 3 in A
    market = District(market_dept, liaison_zhao)
    market.task.design_values = {"A": 5, "B": 5}
    market.task.save()
    counts = [
        {"task": market.task.number, "stratum": "A", "population": 10, "sample": 3},
        {"task": market.task.number, "stratum": "B", "population": 8, "sample": 5},
    ]
    market.batch.record = {"counts": counts}
    market.batch.save()
    # a 10% ratio of 31 firms is ceil(3.1) = 4: drawn as designed
    health = District(health_dept, liaison_sun)
    health.task.design_mode, health.task.design_values = "ratio", {"*": "0.1"}
    health.task.save()
    health.batch.record = {
        "counts": [{"task": health.task.number, "stratum": "C", "population": 31, "sample": 4}]
    }
    health.batch.save()

    client = client_for(office_admin_wang)
    found = warnings(client).sample_deviations
    assert [(d["task"], d["stratum"], d["designed"], d["drawn"]) for d in found] == [
        (market.task.number, "A", 5.0, 3)
    ]
    page = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    assert "分层 A：方案 5.0 户，实际抽取 3 户" in page
    assert reverse("draws:batch_detail", args=[market.batch.pk]) in page
    assert client.get(reverse("draws:batch_detail", args=[market.batch.pk])).status_code == 200
    # the health commission sees none of the market bureau's draws
    assert warnings(client_for(liaison_sun)).sample_deviations == []
