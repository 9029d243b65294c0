"""Query-count guard: the dashboard costs the same number of queries for one visit or many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spotcheck.inspections.models import FieldVisit

from .builders import YEAR, District


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("stats:dashboard"), {"year": YEAR})
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_issues_a_fixed_number_of_queries(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    client = client_for(office_admin_wang)
    market = District(market_dept, liaison_zhao)
    market.visit(outcome=FieldVisit.Outcome.CHECKED, codes=["corrected"], published=f"{YEAR}-04-20")
    small = queries_for(client)

    # when the district grows: more departments, tasks, visits, results, inspectors
    for department, author in ((market_dept, liaison_zhao), (health_dept, liaison_sun)):
        for _ in range(3):
            district = District(department, author)
            district.visit()
            district.visit(outcome=FieldVisit.Outcome.CHECKED, codes=["no_problem"])
            district.visit(
                outcome=FieldVisit.Outcome.CHECKED, codes=["corrected"], published=f"{YEAR}-04-20"
            )
    large = queries_for(client)

    assert large == small
    assert small <= 30  # one or two per figure and warning list


def test_a_stored_page_filtered_by_region_issues_a_fixed_number_of_queries(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    from spotcheck.stats.snapshots import snapshots_refresh

    client = client_for(office_admin_wang)

    def filtered() -> int:
        snapshots_refresh(years=[YEAR])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("stats:dashboard"), {"year": YEAR, "region": "1101"})
        assert response.status_code == 200 and response.context["computed_at"] is not None
        return len(captured)

    District(market_dept, liaison_zhao).visit(
        outcome=FieldVisit.Outcome.CHECKED, codes=["corrected"]
    )
    small = filtered()
    for department, author in ((market_dept, liaison_zhao), (health_dept, liaison_sun)):
        district = District(department, author)
        for _ in range(3):
            district.visit(outcome=FieldVisit.Outcome.CHECKED, codes=["no_problem"])
    assert filtered() == small <= 10
