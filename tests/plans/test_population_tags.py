"""A task's tag filter also matches the task department's own tags (部门自有信息), never
another department's."""

from spotcheck.directory.models import DepartmentEntityRecord
from spotcheck.plans.population import population_rows
from tests.factories import EntityFactory


def test_a_health_task_filters_on_health_tags_but_not_on_the_markets(market_dept, health_dept):
    # given three firms both supervise: one tagged by health, one by the market, one shared tag
    health_tagged, market_tagged, shared_tagged = (
        EntityFactory(departments=[market_dept, health_dept]) for _ in range(3)
    )
    DepartmentEntityRecord.objects.create(
        entity=health_tagged, department=health_dept, tags=["公共场所"]
    )
    DepartmentEntityRecord.objects.create(
        entity=market_tagged, department=market_dept, tags=["公共场所"]
    )
    shared_tagged.tags = ["公共场所"]
    shared_tagged.save()
    # when the health department draws from firms tagged 公共场所
    keys = {key for key, _ in population_rows({"tags": ["公共场所"]}, health_dept.pk)}
    # then its own tag and the shared one count, the market's own tag does not
    assert keys == {health_tagged.key, shared_tagged.key}
