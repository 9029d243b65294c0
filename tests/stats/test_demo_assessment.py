"""The demo district's assessment, computed from its past year: every data score has a reason
and the records behind it."""

from datetime import date

from django.urls import reverse

from spotcheck.accounts.models import Department, User
from spotcheck.demo.loader import demo_load
from spotcheck.stats.services import assessment_compute


def test_the_demo_districts_assessment_comes_from_its_data(db, client_for):
    demo_load(entities=4000, seed=7)
    office = User.objects.get(username="office_admin_wang")
    market = Department.objects.get(code="SCJGJ")
    last_year = date.today().year - 1

    assessment = assessment_compute(actor=office, department=market, year=last_year)

    scores = {s.indicator.number: s for s in assessment.scores.select_related("indicator")}
    assert scores[8].score == scores[8].indicator.weight  # the plan was published
    assert 0 < scores[12].score < scores[12].indicator.weight  # some published late
    client = client_for(office)
    page = client.get(reverse("stats:assessment_detail", args=[assessment.pk]))
    for row in page.context["rows"]:
        if row["score"].figure:
            assert client.get(row["records"]).status_code == 200
