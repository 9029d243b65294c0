"""The oversight dashboard: what each figure counts, who sees which department, and that every
figure opens the records behind it."""

import re

import pytest
from django.urls import reverse

from spotcheck.inspections.models import FieldVisit

from .builders import YEAR, District

CHECKED = FieldVisit.Outcome.CHECKED
DASHBOARD = reverse("stats:dashboard")


@pytest.fixture
def year_of_checks(market_dept, health_dept, liaison_zhao, liaison_sun):
    """Market bureau: 4 drawn, 3 checked, 2 approved (1 with a problem), 1 published on time.
    Health commission: 2 drawn, 1 checked and approved with a problem, published late."""
    market = District(market_dept, liaison_zhao)
    market.visit()
    market.visit(outcome=CHECKED)
    market.visit(outcome=CHECKED, codes=["no_problem"], published=f"{YEAR}-04-20")
    market.visit(outcome=CHECKED, codes=["corrected"])
    health = District(health_dept, liaison_sun)
    health.visit()
    health.visit(outcome=CHECKED, codes=["corrected"], published=f"{YEAR}-04-20", on_time=False)
    return market, health


def figure(response, name: str) -> str:
    """The text of the first link that opens figure `name`."""
    html = response.content.decode()
    found = re.search(rf'data-figure="{name}" href="[^"]*">([^<]*)<', html)
    assert found, name
    return found.group(1)


def test_office_sees_the_whole_district_in_figures(year_of_checks, office_admin_wang, client_for):
    # given a year of checks in two departments
    # when the office opens the dashboard for that year
    response = client_for(office_admin_wang).get(DASHBOARD, {"year": YEAR})
    # then the funnel counts a task at a visit, across both departments
    assert response.status_code == 200
    counts = {n: figure(response, n) for n in ("drawn", "visited", "approved", "published")}
    assert counts == {"drawn": "6", "visited": "4", "approved": "3", "published": "2"}
    assert figure(response, "tasks_planned") == "2"
    assert figure(response, "published_on_time") == "1"
    assert figure(response, "published_late") == "1"
    assert figure(response, "follow_ups_open") == "2"
    body = response.content.decode()
    assert "东城区市场监督管理局" in body and "东城区卫生健康委员会" in body
    # 2 problems among 3 approved results
    assert "66.7%" in body


def test_a_department_sees_only_its_own(year_of_checks, liaison_sun, market_dept, client_for):
    # when the health commission's liaison asks for the market bureau's figures
    response = client_for(liaison_sun).get(DASHBOARD, {"year": YEAR, "department": market_dept.pk})
    # then the page still shows the health commission alone
    assert figure(response, "drawn") == "2"
    assert "东城区市场监督管理局" not in response.content.decode()


def test_inspectors_do_not_see_the_dashboard(inspector_zhang, client_for):
    assert client_for(inspector_zhang).get(DASHBOARD).status_code == 403


def test_office_filters_by_department(year_of_checks, office_admin_wang, health_dept, client_for):
    response = client_for(office_admin_wang).get(
        DASHBOARD, {"year": YEAR, "department": health_dept.pk}
    )
    assert figure(response, "drawn") == "2"
    assert figure(response, "published_late") == "1"


def test_industry_and_region_filter_the_entities(year_of_checks, office_admin_wang, client_for):
    market, _health = year_of_checks
    from tests.factories import EntityFactory

    market.visit(entity=EntityFactory(industry_code="6210", region_code="110102"))
    client = client_for(office_admin_wang)
    assert figure(client.get(DASHBOARD, {"year": YEAR, "industry": "62"}), "drawn") == "1"
    assert figure(client.get(DASHBOARD, {"year": YEAR, "region": "110102"}), "drawn") == "1"
    assert figure(client.get(DASHBOARD, {"year": YEAR, "industry": "52"}), "drawn") == "6"


def test_every_figure_opens_the_records_behind_it(year_of_checks, office_admin_wang, client_for):
    client = client_for(office_admin_wang)
    html = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    links = re.findall(r'data-figure="(\w+)" href="([^"]*)">([^<]*)<', html)
    assert len(links) > 20
    for name, href, shown in links:
        if not shown.strip().isdigit():
            continue  # a percentage opens the records of its numerator
        page = client.get(href.replace("&amp;", "&"))
        assert page.status_code == 200, href
        rows = page.context["page"]
        if name == "batches":  # visits saved: the sum over the batches listed
            assert sum(b.visits_saved for b in rows) == int(shown)
        else:
            assert rows.paginator.count == int(shown), (name, href)


def test_a_department_cannot_open_another_departments_records(
    year_of_checks, liaison_sun, market_dept, client_for
):
    url = reverse("stats:records", args=["drawn"])
    page = client_for(liaison_sun).get(url, {"year": YEAR, "department": market_dept.pk})
    names = {p.spotchecktask.department.code for p in page.context["page"]}
    assert names == {"WJW"}


def test_unknown_figure_is_404(office_admin_wang, client_for):
    client = client_for(office_admin_wang)
    assert client.get(reverse("stats:records", args=["secret"])).status_code == 404
    for key in ("x", "9" * 30):
        response = client.get(reverse("stats:records", args=["inspector"]), {"key": key})
        assert response.status_code == 404


def test_a_bad_filter_is_ignored_with_a_message(office_admin_wang, client_for):
    response = client_for(office_admin_wang).get(DASHBOARD, {"industry": "5212'; drop"})
    assert response.status_code == 200
    assert "行业代码只能是门类字母和最多4位数字" in response.content.decode()
