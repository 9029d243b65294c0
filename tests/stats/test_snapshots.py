"""Precomputed dashboards show the same figures as the live ones, and a department still sees
only its own."""

import re
from datetime import date

import pytest
from django.urls import reverse

from spotcheck.firms.models import VisitRating
from spotcheck.inspections.models import FieldVisit
from spotcheck.stats.snapshots import snapshots_refresh
from tests.factories import EntityFactory

from .builders import YEAR, District

DASHBOARD = reverse("stats:dashboard")


def figures(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-figure="(\w+)" href="[^"]*">([^<]*)<', html)


def test_the_stored_dashboard_equals_the_live_one(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    market = District(market_dept, liaison_zhao)
    market.visit(outcome=FieldVisit.Outcome.CHECKED, codes=["corrected"], published=f"{YEAR}-04-20")
    market.visit()
    District(health_dept, liaison_sun).visit(
        outcome=FieldVisit.Outcome.CHECKED, codes=["no_problem"]
    )
    client = client_for(office_admin_wang)
    live = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    assert "实时统计" in live

    assert snapshots_refresh(years=[YEAR]) == 3  # the district and two departments

    stored = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    assert "统计时间" in stored
    assert figures(stored) == figures(live)


def test_a_department_reads_its_own_stored_figures(
    market_dept, health_dept, liaison_zhao, liaison_sun, client_for
):
    District(market_dept, liaison_zhao).visit()
    District(health_dept, liaison_sun).visit()
    District(health_dept, liaison_sun).visit()
    snapshots_refresh(years=[YEAR])
    page = client_for(liaison_zhao).get(DASHBOARD, {"year": YEAR, "department": ""})
    assert page.context["board"].total.drawn == 1
    assert "东城区卫生健康委员会" not in page.content.decode()


FILTERS = [
    {"industry": "52"},
    {"industry": "6"},
    {"industry": "5212"},
    {"region": "110102"},
    {"region": "1101"},
    {"industry": "52", "region": "110101"},
    {"industry": "99"},
]


@pytest.mark.parametrize("query", FILTERS)
def test_pages_filtered_by_industry_or_region_equal_the_live_ones(
    query, market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    CHECKED = FieldVisit.Outcome.CHECKED
    last = District(market_dept, liaison_zhao, year=YEAR - 1)
    market, health = District(market_dept, liaison_zhao), District(health_dept, liaison_sun)
    places = [("5212", "110101"), ("6110", "110102"), ("5299", "110102"), ("5212", "110105")]
    for n in range(12):
        industry, region = places[n % 4]
        firm = EntityFactory(
            industry_code=industry, region_code=region, departments=[market_dept, health_dept]
        )
        codes = ["corrected"] if n % 3 == 0 else ["no_problem"]
        last.visit(entity=firm, outcome=CHECKED, codes=["no_problem"])
        visit = market.visit(
            entity=firm,
            outcome=CHECKED if n % 4 else None,
            codes=codes if n % 4 else (),
            published=f"{YEAR}-04-20" if n % 2 else None,
            on_time=n % 5 != 0,
            on=date(YEAR, 3 + n % 3, 1),
        )
        if n % 4:
            VisitRating.objects.create(visit=visit, stars=1 + n % 5)
        if n % 3 == 0:
            health.visit(entity=firm, outcome=CHECKED, codes=["follow_up"], on=date(YEAR, 4, 1))
    client = client_for(office_admin_wang)
    department = {"department": market_dept.pk}
    live = [
        client.get(DASHBOARD, {"year": YEAR, **query}).content.decode(),
        client.get(DASHBOARD, {"year": YEAR, **query, **department}).content.decode(),
        client_for(liaison_sun).get(DASHBOARD, {"year": YEAR, **query}).content.decode(),
    ]
    assert all("实时统计" in page for page in live)

    snapshots_refresh(years=[YEAR])

    stored = [
        client.get(DASHBOARD, {"year": YEAR, **query}).content.decode(),
        client.get(DASHBOARD, {"year": YEAR, **query, **department}).content.decode(),
        client_for(liaison_sun).get(DASHBOARD, {"year": YEAR, **query}).content.decode(),
    ]
    for before, after in zip(live, stored, strict=True):
        assert "统计时间" in after
        assert figures(after) == figures(before)
        warnings = r'<section class="card warnings".*?</section>'
        assert re.search(warnings, after, re.S).group() == re.search(warnings, before, re.S).group()
