"""The entity list of a department at a province's scale: every entity once however many
departments supervise it, no DISTINCT over the link join, and a bounded number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from spotcheck.directory.selectors import entity_list
from tests.factories import DepartmentFactory, EntityFactory


def test_an_entity_supervised_by_many_departments_is_listed_once(
    client_for, liaison_zhao, market_dept, health_dept
):
    # Given an entity that nine departments supervise, one of them zhao's
    others = [DepartmentFactory() for _ in range(7)]
    shared = EntityFactory(departments=[market_dept, health_dept, *others], name="九部门共管公司")
    EntityFactory(departments=[health_dept], name="卫健独管公司")
    # When zhao opens the list and filters it by another supervising department
    assert list(entity_list(user=liaison_zhao)) == [shared]
    by_health = entity_list(user=liaison_zhao, filters={"department": health_dept.code})
    assert list(by_health) == [shared] and by_health.count() == 1
    # Then the page shows it once, and shows it only to the departments that supervise it
    page = client_for(liaison_zhao).get("/directory/entities/").content.decode()
    assert page.count("九部门共管公司") == 1 and "卫健独管公司" not in page


def test_entity_list_counts_without_distinct_over_the_links(liaison_zhao, market_dept):
    EntityFactory.create_batch(3, departments=[market_dept])
    with CaptureQueriesContext(connection) as queries:
        assert entity_list(user=liaison_zhao, filters={"q": "北京"}).count() == 3
    (count_sql,) = [q["sql"] for q in queries.captured_queries]
    assert "DISTINCT" not in count_sql.upper() and "EXISTS" in count_sql.upper()


def test_entity_list_page_and_api_query_counts_do_not_grow_with_the_list(
    client_for, liaison_zhao, market_dept, django_assert_max_num_queries
):
    EntityFactory.create_batch(60, departments=[market_dept])
    client = client_for(liaison_zhao)
    client.get("/directory/entities/")  # warm the session and the locale
    with django_assert_max_num_queries(12):
        assert client.get("/directory/entities/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/entities").status_code == 200


def test_user_without_a_department_sees_no_entity(django_user_model, market_dept):
    EntityFactory(departments=[market_dept])
    stray = django_user_model.objects.create(username="stray", role="inspector")
    assert not entity_list(user=stray).exists()


def test_long_lists_say_more_than_the_cap_instead_of_counting_all(
    client_for, liaison_zhao, market_dept, monkeypatch
):
    # Given more entities than the count cap (lowered to 3 here)
    monkeypatch.setattr("spotcheck.common.pagination.COUNT_CAP", 3)
    EntityFactory.create_batch(5, departments=[market_dept])
    client = client_for(liaison_zhao)
    # Then the list says "more than" and still pages
    assert "超过 3 条，请用筛选条件缩小范围" in client.get("/directory/entities/").content.decode()
    # And a short list still shows its exact count
    monkeypatch.setattr("spotcheck.common.pagination.COUNT_CAP", 10)
    assert "共 5 条" in client.get("/directory/entities/").content.decode()
