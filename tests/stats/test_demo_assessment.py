"""The demo district's assessment, computed from its past year when the demo is loaded: every
data score is stored with a reason and the records behind it."""

from datetime import date

from django.urls import reverse

from spotcheck.accounts.models import Department, User
from spotcheck.demo.loader import demo_load
from spotcheck.stats.models import Assessment


def test_the_demo_districts_assessment_comes_from_its_data(db, client_for):
    demo_load(entities=4000, seed=7)
    office = User.objects.get(username="office_admin_wang")
    market = Department.objects.get(code="SCJGJ")
    last_year = date.today().year - 1

    # stored at load, for every department, without anyone pressing "compute"
    assert Assessment.objects.filter(year=last_year).count() == Department.objects.count()
    assessment = Assessment.objects.get(department=market, year=last_year)
    assert assessment.computed_at is not None

    scores = {s.indicator.number: s for s in assessment.scores.select_related("indicator")}
    assert scores[8].score == scores[8].indicator.weight  # the plan was published
    assert 0 < scores[12].score < scores[12].indicator.weight  # some published late
    client = client_for(office)
    page = client.get(reverse("stats:assessment_detail", args=[assessment.pk]))
    html = page.content.decode()
    linked = [row for row in page.context["rows"] if row["score"].figure]
    assert linked
    for row in linked:
        assert row["score"].score is not None and row["score"].basis
        assert row["records"].replace("&", "&amp;") in html  # the page links the records
        records = client.get(row["records"])
        assert records.status_code == 200
    # the late publications behind indicator 12 are there to open
    late = next(r for r in linked if r["score"].indicator.number == 12)
    assert client.get(late["records"]).context["page"].paginator.count > 0
