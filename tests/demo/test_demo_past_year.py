"""The demo carries last year: a published plan, a batch drawn by the engine, results published
on time and late, two corrected, one withheld; the portal and the deadlines have content."""

from datetime import date

import pytest
from django.test import Client

from spotcheck.accounts.models import User
from spotcheck.demo.loader import demo_load
from spotcheck.draws.models import DrawBatch
from spotcheck.plans.models import AnnualPlan
from spotcheck.publication.deadlines import DeadlineState, task_deadline_list
from spotcheck.publication.models import DisclosureExemption, PublicRecord


@pytest.fixture
def demo_district(db):
    demo_load(entities=4000, seed=7)


def test_last_year_is_published_with_late_amended_and_withheld_results(demo_district):
    last_year = date.today().year - 1
    assert AnnualPlan.objects.get(year=last_year).published_at.year == last_year
    batch = DrawBatch.objects.get(name__startswith=str(last_year))
    assert batch.status == "drawn" and batch.population_root
    records = PublicRecord.objects.filter(task__in=batch.tasks.all())  # not the joint check's
    assert records.count() == batch.visits.count() - 1  # one withheld
    assert DisclosureExemption.objects.get().get_status_display() == "不予公开"
    assert records.filter(on_time=False).exists() and records.filter(on_time=True).exists()
    assert records.filter(corrected_at__isnull=False).count() == 2
    assert {r.published_on.year for r in records} == {last_year}

    # The liaison's deadline view shows the task done, with its late ones and the one withheld.
    rows = task_deadline_list(user=User.objects.get(username="liaison_zhao"))
    (row,) = [r for r in rows if r.task in batch.tasks.all()]
    assert row.state == DeadlineState.DONE and row.late > 0 and row.withheld == 1

    # and a citizen finds the results on the portal.
    name = records.first().entity_name
    page = Client().get("/public/results/", {"q": name}).content.decode()
    assert name in page


def test_the_demo_firm_signs_in_to_its_own_page(demo_district):
    from spotcheck.demo.loader import DEMO_PASSWORD, FIRM_PERSONA

    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": FIRM_PERSONA.username, "password": DEMO_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/check/account/"
    page = response.content.decode()
    entity = User.objects.get(username=FIRM_PERSONA.username).firm_account.entity
    assert entity.name in page
    assert "整改后申请信用修复" in page  # a published negative record of its own
    assert client.get("/draws/").status_code == 403
