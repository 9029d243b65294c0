"""Searching the directory at a province's scale: a whole USCC is one probe of the key's index,
a name fragment is counted only as far as a person reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spotcheck.directory.selectors import entity_list
from tests.factories import EntityFactory


def test_a_whole_uscc_finds_its_entity_by_the_key_alone(liaison_zhao, market_dept):
    wanted = EntityFactory(departments=[market_dept], name="华信商贸有限公司")
    EntityFactory(departments=[market_dept], name="达联科技有限公司")
    # Typed in lower case with spaces around, as people paste it
    query = f"  {wanted.key.lower()} "
    with CaptureQueriesContext(connection) as queries:
        assert list(entity_list(user=liaison_zhao, filters={"q": query})) == [wanted]
    (sql,) = [q["sql"] for q in queries.captured_queries]
    # An equality on the key (its unique btree), not a LIKE over names and keys
    assert "LIKE" not in sql.upper() and "GLOB" not in sql.upper()


def test_a_whole_uscc_of_another_department_is_not_found(liaison_zhao, health_dept):
    theirs = EntityFactory(departments=[health_dept])
    assert not entity_list(user=liaison_zhao, filters={"q": theirs.key}).exists()


def test_fragments_still_search_names_and_the_start_of_keys(liaison_zhao, market_dept):
    named = EntityFactory(departments=[market_dept], name="宏远食品有限公司")
    other = EntityFactory(departments=[market_dept], name="泰安五金有限公司")
    assert list(entity_list(user=liaison_zhao, filters={"q": "远食"})) == [named]
    # The first 17 characters of a code are a prefix, not a whole code
    prefix = other.key[:17].lower()
    assert list(entity_list(user=liaison_zhao, filters={"q": prefix})) == [other]


def test_a_search_with_many_matches_says_more_than_the_search_cap(
    client_for, liaison_zhao, market_dept, monkeypatch
):
    monkeypatch.setattr("spotcheck.directory.views.SEARCH_COUNT_CAP", 3)
    EntityFactory.create_batch(5, departments=[market_dept], name="宏远食品有限公司")
    client = client_for(liaison_zhao)
    page = client.get("/directory/entities/?q=宏远").content.decode()
    assert "超过 3 条，请用筛选条件缩小范围" in page
    # A list without a search keeps the larger cap and counts all five
    assert "共 5 条" in client.get("/directory/entities/").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_whole_uscc_search_is_an_equality_on_the_keys_btree(liaison_zhao, market_dept):
    entity = EntityFactory(departments=[market_dept])
    queryset = entity_list(user=liaison_zhao, filters={"q": entity.key})
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned anyway
        plan = queryset.explain()
        cursor.execute("RESET enable_seqscan")
    # An index condition of equality on a btree of the key: no LIKE (~~), no trigram, no upper()
    assert "Index Scan using directory_marketentity_key" in plan
    assert f"Index Cond: ((key)::text = '{entity.key}'" in plan
    assert "~~" not in plan and "trgm" not in plan and "upper" not in plan.lower()
