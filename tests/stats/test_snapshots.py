"""Precomputed dashboards show the same figures as the live ones, and a department still sees
only its own."""

import re

from django.urls import reverse

from spotcheck.inspections.models import FieldVisit
from spotcheck.stats.snapshots import snapshots_refresh

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
    # an entity filter is answered live
    assert "实时统计" in client.get(DASHBOARD, {"year": YEAR, "industry": "52"}).content.decode()


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
