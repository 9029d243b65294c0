"""Yearly caps at commitment (国办发〔2024〕54号): a firm at its cap is left out of the committed
population, and the design records the rule, the history behind it and the count left out."""

import json
from datetime import date

import pytest

from spotcheck.draws.models import BatchStatus, DrawBatch, Visit
from spotcheck.draws.services import batch_folder
from spotcheck.plans.models import SpotCheckTask
from spotcheck_draw.caps import cap_violations
from tests.draw_fixtures import ceremony_time, commit_joint_check


def earlier_visits(entity, tasks, days, creator):
    """Visits of earlier drawn batches (one a day), `tasks` in each (their departments)."""
    for day in days:
        batch = DrawBatch.objects.create(
            number=f"B-{entity.pk}-{day.isoformat()}",
            name="早先批次",
            department=tasks[0].department,
            status=BatchStatus.DRAWN,
            planned_date=day,
            randomness_source="骰子",
            randomness_due=ceremony_time(),
            created_by=creator,
        )
        visit = Visit.objects.create(
            batch=batch, visit_id="V000001", entity=entity, ticket="0", planned_date=day
        )
        visit.tasks.set(tasks)


def committed(batch):
    folder = batch_folder(batch)
    design = json.loads((folder / "design.json").read_text(encoding="utf-8"))
    lines = (folder / "population.tsv").read_text(encoding="utf-8").splitlines()
    return design, [tuple(line.split("\t")) for line in lines]


@pytest.fixture
def tasks(approved_joint_check):
    by_department = {t.department.code: t for t in SpotCheckTask.objects.all()}
    return by_department["SCJGJ"], by_department["WJW"]


def test_firm_at_a_departments_cap_is_left_out_of_that_departments_task(
    approved_joint_check, district, tasks, liaison_zhao, draws_root
):
    market, health = tasks
    # given the market department checked this firm twice this year already
    firm = district[0]
    earlier_visits(firm, [market], [date(2026, 3, 5), date(2026, 6, 20)], liaison_zhao)
    # and another firm once by market, which is under the cap
    under = district[1]
    earlier_visits(under, [market], [date(2026, 4, 1)], liaison_zhao)
    # when the joint check is committed
    design, rows = committed(commit_joint_check(approved_joint_check, liaison_zhao))
    # then the firm is absent from the market task, still in the health task
    assert (firm.key, market.number) not in {(r[0], r[2]) for r in rows}
    assert (firm.key, health.number) in {(r[0], r[2]) for r in rows}
    assert (under.key, market.number) in {(r[0], r[2]) for r in rows}
    # and the design says why, with the history that lets anyone check it
    caps = design["caps"]
    assert (caps["rule"], caps["year"], caps["per_department"], caps["total"]) == (
        "国办发〔2024〕54号",
        2026,
        2,
        4,
    )
    assert caps["excluded"] == {market.number: 1}
    assert {h["uscc"] for h in caps["history"]} == {firm.key, under.key}
    assert cap_violations(rows, design) == []


def test_firm_at_the_total_cap_is_left_out_of_every_task(
    approved_joint_check, district, tasks, liaison_zhao, draws_root, settings
):
    market, health = tasks
    firm = district[2]
    # four joint visits by the two departments would also hit their own caps: lower the
    # per-department cap out of the way to test the total alone
    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "YEARLY_CAP_PER_DEPARTMENT": 10,
        "YEARLY_CAP_TOTAL": 4,
    }
    days = [date(2026, m, 10) for m in (2, 4, 6, 8)]
    earlier_visits(firm, [market, health], days, liaison_zhao)
    design, rows = committed(commit_joint_check(approved_joint_check, liaison_zhao))
    assert firm.key not in {r[0] for r in rows}
    assert design["caps"]["excluded"] == {market.number: 1, health.number: 1}
    # a verifier spots a firm at its cap slipped into the population
    slipped = [*rows, (firm.key, "A", market.number)]
    assert cap_violations(slipped, design) == [f"{firm.key}\t{market.number}"]


def test_last_years_checks_do_not_count(
    approved_joint_check, district, tasks, liaison_zhao, draws_root
):
    market, _health = tasks
    firm = district[3]
    earlier_visits(firm, [market], [date(2025, 3, 5), date(2025, 9, 5)], liaison_zhao)
    design, rows = committed(commit_joint_check(approved_joint_check, liaison_zhao))
    assert (firm.key, market.number) in {(r[0], r[2]) for r in rows}
    assert design["caps"]["excluded"] == {}


def test_commit_on_a_quiet_day_is_refused(approved_joint_check, liaison_zhao, draws_root, settings):
    from django.core.exceptions import ValidationError

    # the district declared the 1st to the 15th quiet after the tasks were saved
    settings.SPOTCHECK_CHECK_LIMITS = {
        **settings.SPOTCHECK_CHECK_LIMITS,
        "QUIET_DAYS_OF_MONTH": list(range(1, 16)),
    }
    with pytest.raises(ValidationError, match="是企业安静日"):
        commit_joint_check(approved_joint_check, liaison_zhao)
    assert not DrawBatch.objects.filter(status=BatchStatus.COMMITTED).exists()
