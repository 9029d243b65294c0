from datetime import date

import pytest

from spotcheck.plans.validation import TaskDraft
from tests.factories import EntityFactory, make_item


@pytest.fixture
def market_population(market_dept):
    """100 entities the market bureau supervises: 70 A, 20 B, 7 C, 3 D."""
    classes = ["A"] * 70 + ["B"] * 20 + ["C"] * 7 + ["D"] * 3
    return [EntityFactory(credit_class=c, departments=[market_dept]) for c in classes]


@pytest.fixture
def general_item(market_dept):
    return make_item(market_dept, code="SC-010", name="企业年度报告公示信息的检查", kind="general")


@pytest.fixture
def key_item(market_dept):
    return make_item(market_dept, code="SC-001", name="电梯使用单位监督检查", kind="key")


def draft_for(
    department, items, *, mode="poisson", values=None, directed=False, n=None, population=None
):
    return TaskDraft(
        department_id=department.pk,
        directed=directed,
        items=[i.current_version for i in items],
        population_filter=population or {},
        mode=mode,
        values=values if values is not None else {"*": "0.04"},
        n=n,
        planned_start=date(2026, 12, 1),
        planned_end=date(2026, 12, 31),
    )
