"""The pages of the load test (bench/load_users.py) run a bounded number of queries: a page
whose queries grow with its rows is the first to fall over when 200 people use the platform.
Each bound is the page's count today plus one, measured with a drawn joint batch whose visits
fill the lists: the session, the user (with department and inspector), the page's own reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = [
    # (persona fixture or None for a citizen, path, most queries)
    ("inspector_market", "/inspections/mine/", 5),
    ("inspector_market", "/api/inspections/visits", 11),
    ("reviewer_li", "/inspections/review/", 5),
    ("reviewer_li", "/", 6),  # + the joint-check reports it may sign
    ("liaison_zhao", "/", 9),  # + merge offers to answer, reports owed, draws failed or stopped
    ("liaison_zhao", "/directory/entities/", 5),
    ("liaison_zhao", "/directory/inspectors/", 5),
    ("liaison_zhao", "/plans/tasks/", 5),
    ("liaison_zhao", "/draws/", 7),
    (None, "/public/draws/", 3),
    (None, "/public/results/", 4),
    (None, "/public/plans/", 2),
    (None, "/api/public/results", 3),
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
