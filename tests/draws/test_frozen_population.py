"""The committed population made by the database (PostgreSQL) is byte for byte the one the
Python reference makes, with the same counts left out by the caps; anything the fast path
cannot vouch for goes to the reference, with its errors."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from spotcheck.directory.models import EntityStatus, MarketEntity
from spotcheck.draws.errors import BatchErrorCode
from spotcheck.draws.freeze import copied_population, frozen_population
from spotcheck.items.models import CheckItemVersion, ItemKind
from spotcheck.plans.models import SpotCheckTask
from tests.draw_fixtures import commit_joint_check
from tests.factories import EntityFactory

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's population is PostgreSQL's"
)


def batch_tasks():
    return list(
        SpotCheckTask.objects.select_related("department")
        .prefetch_related("items__item")
        .order_by("number")
    )


def caps_of(history):
    return {"per_department": 1, "total": 2, "history": history, "excluded": {}}


@pytest.fixture
def general_market_task(approved_joint_check, market_dept):
    """The market task checks a general item, so the cooldown applies to it."""
    CheckItemVersion.objects.filter(item__department=market_dept).update(kind=ItemKind.GENERAL)


@needs_postgres
def test_database_lines_equal_the_reference_with_cooldown_and_caps(
    general_market_task, district, market_dept, health_dept
):
    # given cooling firms of class A and of the exempt class D, a closed firm, a firm at the
    # market department's cap and one at the total cap
    firm_a = next(e for e in district if e.credit_class == "A")
    firm_d = next(e for e in district if e.credit_class == "D")
    MarketEntity.objects.filter(pk=district[5].pk).update(status=EntityStatus.DEREGISTERED)
    cooling = {firm_a.key, firm_d.key, "91110000NOTINPOPULATION"}
    at_market_cap, at_total_cap = district[10].key, district[11].key
    history = [
        {"uscc": at_market_cap, "date": "2026-03-01", "departments": ["SCJGJ"]},
        {"uscc": at_total_cap, "date": "2026-03-01", "departments": ["WJW"]},
        {"uscc": at_total_cap, "date": "2026-05-01", "departments": ["WJW"]},
    ]
    tasks = batch_tasks()
    # when both paths freeze the population
    fast_caps, reference_caps = caps_of(history), caps_of(history)
    fast = copied_population(tasks, cooling, fast_caps)
    reference = frozen_population(tasks, cooling, reference_caps)
    # then the database made the file, and it is the reference's, byte for byte
    assert fast is not None
    assert fast.lines == [line.encode() for line in reference]
    assert fast_caps["excluded"] == reference_caps["excluded"] != {}
    market = next(t.number for t in tasks if t.department == market_dept)
    assert f"{firm_a.key}\tA\t{market}" not in reference
    assert f"{firm_d.key}\tD\t{market}" in reference


@needs_postgres
def test_a_key_the_committed_form_refuses_goes_to_the_reference(
    approved_joint_check, market_dept, health_dept
):
    # given an entity whose key holds lower case (imports never make one)
    EntityFactory(key="91110000abc", departments=[market_dept, health_dept])
    # then the database's lines are not used
    assert copied_population(batch_tasks(), set(), caps_of([])) is None


def test_commit_of_an_empty_population_is_refused_with_its_message(
    approved_joint_check, liaison_zhao, draws_root
):
    # given every firm closed after the tasks were approved
    MarketEntity.objects.update(status=EntityStatus.DEREGISTERED)
    # when the batch is committed, then it is refused with the user's message
    with pytest.raises(ValidationError) as refused:
        commit_joint_check(approved_joint_check, liaison_zhao)
    assert refused.value.code == BatchErrorCode.POPULATION_EMPTY
    assert refused.value.messages == ["抽查对象范围内没有符合条件的市场主体"]
