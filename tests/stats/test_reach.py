"""The dashboard's reach figures: coverage of each department's regulated population over 1 and
3 years, firms at the yearly per-department cap, on-site checks against last year (target −25%),
the firms' ratings (aggregates only), and the draws whose sample deviates from the design. Each
number is exact on hand-built data and opens exactly the records it counts."""

import re
from datetime import date

from django.urls import reverse

from spotcheck.directory.models import EntityStatus
from spotcheck.firms.models import VisitRating
from spotcheck.inspections.models import FieldVisit, ItemResult
from spotcheck.items.models import CheckMethod
from tests.factories import EntityFactory

from .builders import YEAR, District

CHECKED = FieldVisit.Outcome.CHECKED
DASHBOARD = reverse("stats:dashboard")


def cell(html: str, figure: str, department_id: int | None = None) -> str:
    """The number of a reach figure: in a department's row, or in the total row."""
    if department_id is None:
        found = re.search(
            rf'<tr class="reach-total">.*?data-figure="{figure}" href="[^"]*">([^<]*)<', html, re.S
        )
    else:
        row = re.search(
            rf'<table class="by-department-reach">.*?<tr data-department="{department_id}">(.*?)</tr>',
            html,
            re.S,
        )
        assert row, department_id
        found = re.search(rf'data-figure="{figure}" href="[^"]*">([^<]*)<', row.group(1))
    assert found, figure
    return found.group(1)


def records(client, figure: str, **query) -> int:
    response = client.get(reverse("stats:records", args=[figure]), {"year": YEAR, **query})
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_coverage_of_each_departments_population_over_one_and_three_years(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    this_year = District(market_dept, liaison_zhao)
    this_year.visit()  # a firm of the market bureau's directory drawn this year
    District(market_dept, liaison_zhao, year=YEAR - 2).visit()  # one drawn two years ago
    District(market_dept, liaison_zhao, year=YEAR - 3).visit()  # too long ago for 3 years
    never = EntityFactory(departments=[market_dept])  # in the directory, never drawn
    # drawn by the health commission only: in the market directory, not covered by it
    District(health_dept, liaison_sun).visit(entity=EntityFactory(departments=[market_dept]))
    EntityFactory(departments=[market_dept], status=EntityStatus.DEREGISTERED)  # not regulated
    assert never.pk

    client = client_for(office_admin_wang)
    html = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    # market: 5 operating firms; 1 drawn this year, 2 within three years
    assert cell(html, "population", market_dept.pk) == "5"
    assert cell(html, "covered_1y", market_dept.pk) == "1"
    assert cell(html, "covered_3y", market_dept.pk) == "2"
    assert "</a>（20.0%）" in html and "</a>（40.0%）" in html
    department = {"department": market_dept.pk}
    assert records(client, "population", **department) == 5
    assert records(client, "covered_1y", **department) == 1
    assert records(client, "covered_3y", **department) == 2
    # a department sees its own population only (the health commission's directory is empty)
    assert records(client_for(liaison_sun), "population", **department) == 0


def test_firms_at_the_yearly_per_department_cap(
    market_dept, health_dept, liaison_zhao, liaison_sun, office_admin_wang, client_for
):
    twice = EntityFactory(departments=[market_dept])
    District(market_dept, liaison_zhao).visit(entity=twice, on=date(YEAR, 3, 1))
    District(market_dept, liaison_zhao).visit(entity=twice, on=date(YEAR, 9, 1))
    once_each = EntityFactory(departments=[market_dept, health_dept])
    District(market_dept, liaison_zhao).visit(entity=once_each, on=date(YEAR, 3, 1))
    District(health_dept, liaison_sun).visit(entity=once_each, on=date(YEAR, 9, 1))

    client = client_for(office_admin_wang)
    html = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    # the cap is 2 a year per department: one firm reached it, with the market bureau
    assert cell(html, "at_cap", market_dept.pk) == "1"
    assert cell(html, "at_cap", health_dept.pk) == "0"
    assert cell(html, "at_cap") == "1"
    page = client.get(reverse("stats:records", args=["at_cap"]), {"year": YEAR})
    assert [e.pk for e in page.context["page"]] == [twice.pk]
    assert records(client, "at_cap", department=health_dept.pk) == 0


def test_on_site_checks_against_last_year(market_dept, liaison_zhao, office_admin_wang, client_for):
    last = District(market_dept, liaison_zhao, year=YEAR - 1)
    for _ in range(4):
        last.visit(outcome=CHECKED, codes=["no_problem"])
    this = District(market_dept, liaison_zhao)
    for _ in range(3):
        this.visit(outcome=CHECKED, codes=["no_problem"])
    written = this.visit(outcome=CHECKED, codes=["no_problem"])
    ItemResult.objects.filter(visit=written).update(method=CheckMethod.WRITTEN)
    this.visit()  # drawn, not yet checked

    client = client_for(office_admin_wang)
    html = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    assert cell(html, "onsite", market_dept.pk) == "3"
    assert cell(html, "onsite_last", market_dept.pk) == "4"
    # 4 → 3 is −25%: the target (at most 3) is met
    assert "-25.0% 已达标" in html
    assert records(client, "onsite", department=market_dept.pk) == 3
    assert records(client, "onsite", year=YEAR - 1, department=market_dept.pk) == 4


def test_on_site_checks_over_the_target_are_flagged(
    market_dept, liaison_zhao, office_admin_wang, client_for
):
    last = District(market_dept, liaison_zhao, year=YEAR - 1)
    this = District(market_dept, liaison_zhao)
    for _ in range(4):
        last.visit(outcome=CHECKED, codes=["no_problem"])
        this.visit(outcome=CHECKED, codes=["no_problem"])
    html = client_for(office_admin_wang).get(DASHBOARD, {"year": YEAR}).content.decode()
    assert "0.0% " in html and "未达标（不超过 3 次）" in html


def test_ratings_are_aggregates_from_five_ratings(
    market_dept, liaison_zhao, office_admin_wang, client_for
):
    district = District(market_dept, liaison_zhao)
    visits = [district.visit(outcome=CHECKED) for _ in range(5)]
    for visit, stars in zip(visits[:4], (5, 4, 4, 3), strict=True):
        VisitRating.objects.create(visit=visit, stars=stars)
    client = client_for(office_admin_wang)

    html = client.get(DASHBOARD, {"year": YEAR}).content.decode()
    # four ratings: counted, but no average
    assert re.search(r'data-figure="rated" href="[^"]*">4<', html)
    assert "少于 5 条，不计算" in html

    VisitRating.objects.create(visit=visits[4], stars=4, objects_to_result=True)
    response = client.get(DASHBOARD, {"year": YEAR})
    assert response.context["board"].reach.ratings["average"] == 4.0
    assert response.context["board"].reach.ratings["objecting"] == 1
    assert '<dd class="rating-average">4.0</dd>' in response.content.decode()
    # the records are the rated visits, never a visit's stars
    page = client.get(reverse("stats:records", args=["rated"]), {"year": YEAR})
    assert page.context["page"].paginator.count == 5
    assert "★" not in page.content.decode() and "stars" not in page.content.decode()


def test_a_department_cannot_difference_ratings_down_to_one_firm(
    market_dept, liaison_zhao, client_for
):
    # Given six rated visits, a department sees its year's average
    district = District(market_dept, liaison_zhao)
    for stars in (5, 4, 4, 3, 4, 1):
        VisitRating.objects.create(visit=district.visit(outcome=CHECKED), stars=stars)
    client = client_for(liaison_zhao)
    board = client.get(DASHBOARD, {"year": YEAR}).context["board"]
    assert board.reach.ratings["average"] == 3.5
    # but no average under an industry or region filter (two nested filters differing by one
    # rating would give that firm's stars), and not which visits were rated
    for narrowing in ({"industry": "5"}, {"region": "1101"}):
        board = client.get(DASHBOARD, {"year": YEAR, **narrowing}).context["board"]
        assert board.reach.ratings["average"] is None
        assert board.reach.ratings["objecting"] is None
    page = client.get(reverse("stats:records", args=["rated"]), {"year": YEAR})
    assert page.status_code == 404
