"""The pages of the load test (bench/load_users.py) run a bounded number of queries: a page
whose queries grow with its rows is the first to fall over when 200 people use the platform.
Each bound is the page's count today plus a little room, measured with a drawn joint batch
whose visits fill the lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = [
    # (persona fixture or None for a citizen, path, most queries)
    ("inspector_market", "/inspections/mine/", 10),
    ("inspector_market", "/api/inspections/visits", 13),
    ("reviewer_li", "/inspections/review/", 10),
    ("reviewer_li", "/", 10),
    ("liaison_zhao", "/", 11),
    ("liaison_zhao", "/directory/entities/", 10),
    ("liaison_zhao", "/directory/inspectors/", 10),
    ("liaison_zhao", "/plans/tasks/", 10),
    ("liaison_zhao", "/draws/", 12),
    (None, "/public/draws/", 4),
    (None, "/public/results/", 5),
    (None, "/public/plans/", 3),
    (None, "/api/public/results", 4),
]


@pytest.mark.parametrize(("persona", "path", "most"), PAGES)
def test_load_test_pages_run_a_bounded_number_of_queries(
    request, client, client_for, joint_visit, persona, path, most
):
    page_client = client_for(request.getfixturevalue(persona)) if persona else client
    assert page_client.get(path).status_code == 200  # warms the session and the locale
    with CaptureQueriesContext(connection) as queries:
        assert page_client.get(path).status_code == 200
    assert len(queries.captured_queries) <= most
