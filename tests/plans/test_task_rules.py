"""The rules a task must pass when saved, each with its own clear message."""

import pytest
from django.core.exceptions import ValidationError

from spotcheck.items.services import item_revise
from spotcheck.plans.errors import TaskErrorCode
from spotcheck.plans.services import task_create
from spotcheck.plans.validation import task_errors
from tests.factories import make_item

from .conftest import draft_for


def codes(draft) -> list[str]:
    return [e.code for e in task_errors(draft)]


def test_a_compliant_task_is_saved_with_a_region_year_number(
    liaison_zhao, market_dept, market_population, general_item
):
    task = task_create(
        actor=liaison_zhao,
        department=market_dept,
        name="年报检查",
        draft=draft_for(market_dept, [general_item]),
    )
    assert task.number == "110101-2026-T0001"
    assert task.status == "ready"


def test_undirected_ratio_below_three_percent(market_dept, market_population, key_item):
    errors = task_errors(draft_for(market_dept, [key_item], values={"*": "0.02"}))
    assert [e.code for e in errors] == [TaskErrorCode.RATIO_BELOW_MINIMUM]
    assert errors[0].message == "不定向抽查比例为 2.0%，低于最低比例 3.0%"


def test_directed_tasks_need_ten_percent(market_dept, market_population, key_item):
    draft = draft_for(market_dept, [key_item], values={"*": "0.05"}, directed=True)
    assert task_errors(draft)[0].message == "定向抽查比例为 5.0%，低于最低比例 10.0%"


def test_general_item_above_its_cap(market_dept, market_population, general_item):
    errors = task_errors(draft_for(market_dept, [general_item], values={"*": "0.2"}))
    assert [e.code for e in errors] == [TaskErrorCode.GENERAL_ITEM_CAP_EXCEEDED]
    assert "上限为 5.0%，本任务为 20.0%" in errors[0].message


def test_key_items_are_uncapped(market_dept, market_population, key_item):
    assert codes(draft_for(market_dept, [key_item], values={"*": "1"})) == []


def test_credit_class_probabilities_count_towards_the_ratio(
    market_dept, market_population, key_item
):
    # 70×2% + 20×5% + 7×100% + 3×100% = 12.4 of 100: compliant
    values = {"A": "0.02", "B": "0.05", "C": "1", "D": "1"}
    assert codes(draft_for(market_dept, [key_item], mode="poisson", values=values)) == []
    # only A and B at their rates: 2.4% is below the minimum
    low = {"A": "0.02", "B": "0.05"}
    assert codes(draft_for(market_dept, [key_item], mode="poisson", values=low)) == [
        TaskErrorCode.RATIO_BELOW_MINIMUM
    ]


def test_empty_population(market_dept, market_population, key_item):
    draft = draft_for(market_dept, [key_item], population={"entity_types": ["cooperative"]})
    assert codes(draft) == [TaskErrorCode.POPULATION_EMPTY]


def test_items_of_another_department(market_dept, health_dept, market_population):
    foreign = make_item(health_dept, code="WJ-1", name="住宿场所卫生监督检查")
    errors = task_errors(draft_for(market_dept, [foreign]))
    assert errors[0].code == TaskErrorCode.ITEM_OF_ANOTHER_DEPARTMENT
    assert "属于其他部门" in errors[0].message


def test_superseded_item_version_is_off_the_list(market_dept, market_population, key_item):
    old_version = key_item.current_version
    values = {f: getattr(old_version, f) for f in ("category", "name", "methods", "kind")}
    item_revise(actor=None, item=key_item, values=values | {"legal_basis": "新依据"})
    draft = draft_for(market_dept, [key_item])
    draft.items[0] = old_version  # a form drawn before the item was revised
    assert codes(draft) == [TaskErrorCode.ITEM_NOT_ON_LIST]


def test_service_refuses_and_names_every_broken_rule(
    liaison_zhao, market_dept, market_population, general_item
):
    draft = draft_for(market_dept, [general_item], values={"*": "0.01"}, directed=True)
    with pytest.raises(ValidationError) as caught:
        task_create(actor=liaison_zhao, department=market_dept, name="x", draft=draft)
    assert any("低于最低比例" in m for m in caught.value.messages)


def test_another_department_cannot_create_tasks_for_the_market_bureau(
    liaison_sun, market_dept, market_population, key_item
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        task_create(
            actor=liaison_sun,
            department=market_dept,
            name="x",
            draft=draft_for(market_dept, [key_item]),
        )


def test_ratio_mode_rounds_up_per_stratum(market_dept, market_population, key_item):
    # ceil(0.02 × N) per class, at least one: A 2, B 1, C 1, D 1 = 5 of 100, compliant
    draft = draft_for(market_dept, [key_item], mode="ratio", values={"*": "0.02"})
    assert codes(draft) == []
