"""The yearly assessment: data indicators scored from the records (each traceable), evidence
indicators scored by the office after a department uploads its documents, both audited."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections.models import FieldVisit
from spotcheck.stats.models import (
    AssessmentIndicator,
    AssessmentScore,
    Measure,
    ScoringMethod,
)
from spotcheck.stats.services import assessment_compute

from .builders import YEAR, District

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def market_year(market_dept, liaison_zhao):
    market = District(market_dept, liaison_zhao)
    market.visit(
        outcome=FieldVisit.Outcome.CHECKED, codes=["no_problem"], published=f"{YEAR}-04-20"
    )
    market.visit(
        outcome=FieldVisit.Outcome.CHECKED,
        codes=["corrected"],
        published=f"{YEAR}-04-20",
        on_time=False,
    )
    return market


def score(assessment, number: int) -> AssessmentScore:
    return assessment.scores.get(indicator__number=number)


def test_chongxins_fourteen_indicators_are_the_default_table(db):
    indicators = AssessmentIndicator.objects.all()
    assert [i.number for i in indicators] == list(range(1, 15))
    assert sum(i.weight for i in indicators) == 100
    evidence = {i.name for i in indicators if i.method == ScoringMethod.EVIDENCE}
    assert {"组织领导", "宣传活动", "人员培训", "经费投入"} <= evidence


def test_data_indicators_are_scored_from_the_records(market_year, market_dept, office_admin_wang):
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=YEAR)
    # 5: the department has entities in its directory → full marks
    assert score(assessment, 5).score == Decimal("8.0")
    # 8: no published plan for the year → nothing
    assert score(assessment, 8).score == Decimal("0.0")
    # 12: one of two records published on time → half of 12
    on_time = score(assessment, 12)
    assert on_time.score == Decimal("6.0")
    assert on_time.basis == "按期公示 1 条，逾期公示 1 条，逾期未公示 0 条"
    assert on_time.figure == "published_late"
    # evidence indicators wait for a reviewer
    assert score(assessment, 1).score is None
    event = AuditEvent.objects.get(event_type=AuditEventType.ASSESSMENT_COMPUTED)
    assert event.department == market_dept and event.extra["scores"]["12"] == "6.0"


def test_each_data_score_links_to_its_records(
    market_year, market_dept, office_admin_wang, client_for
):
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=YEAR)
    client = client_for(office_admin_wang)
    page = client.get(reverse("stats:assessment_detail", args=[assessment.pk]))
    link = page.context["rows"][11]["records"]
    assert link.startswith(reverse("stats:records", args=["published_late"]))
    records = client.get(link).context["page"]
    assert [r.on_time for r in records] == [False]


def test_another_district_adds_its_own_indicator(market_year, market_dept, office_admin_wang):
    # given a district that wants joint checks in at least 40% of tasks
    AssessmentIndicator.objects.create(
        number=15,
        category="双随机抽查",
        name="联合抽查占比",
        content="部门联合抽查任务占本部门抽查任务的比例不低于40%",
        weight=10,
        method=ScoringMethod.DATA,
        measure=Measure.JOINT_SHARE,
        target=Decimal("0.40"),
    )
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=YEAR)
    # no joint task: nothing
    assert score(assessment, 15).score == Decimal("0.0")
    assert score(assessment, 15).basis == "联合抽查任务 0 个，占全部任务 1 个"


def test_a_department_uploads_evidence_and_the_office_scores_it(
    market_year, market_dept, office_admin_wang, liaison_zhao, client_for
):
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=YEAR)
    training = score(assessment, 3)
    upload_url = reverse("stats:assessment_evidence", args=[assessment.pk, training.pk])
    client_for(liaison_zhao).post(
        upload_url, {"file": SimpleUploadedFile("培训计划.pdf", PDF, "application/pdf")}
    )
    assert training.evidence.get().original_name == "培训计划.pdf"

    # a department cannot score itself
    score_url = reverse("stats:assessment_score", args=[assessment.pk, training.pk])
    assert client_for(liaison_zhao).post(score_url, {"score": "5", "note": "好"}).status_code == 403

    # the office scores within the weight, with a reason
    office = client_for(office_admin_wang)
    response = office.post(score_url, {"score": "6", "note": "超出分值"}, follow=True)
    assert "得分应在 0 到 5.0 分之间" in response.content.decode()
    office.post(score_url, {"score": "4.5", "note": "有年度培训计划和签到表"})
    training.refresh_from_db()
    assert training.score == Decimal("4.5") and training.reviewer == office_admin_wang
    assert AuditEvent.objects.filter(event_type=AuditEventType.ASSESSMENT_SCORED).count() == 1
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.ASSESSMENT_EVIDENCE_ADDED).count() == 1
    )


def test_another_department_gets_404(
    market_year, market_dept, office_admin_wang, liaison_sun, client_for
):
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=YEAR)
    client = client_for(liaison_sun)
    assert client.get(reverse("stats:assessment_detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("stats:assessment_detail", args=[999999])).status_code == 404


def test_a_non_document_is_refused_with_a_message(
    market_year, market_dept, office_admin_wang, liaison_zhao, client_for
):
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=YEAR)
    training = score(assessment, 3)
    url = reverse("stats:assessment_evidence", args=[assessment.pk, training.pk])
    response = client_for(liaison_zhao).post(
        url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf")}, follow=True
    )
    assert "只能上传 JPG、PNG、WEBP 图片或 PDF 文件" in response.content.decode()
    assert not training.evidence.exists()


def test_an_inspector_of_the_department_reads_no_assessment(
    market_year, market_dept, office_admin_wang, inspector_zhang, client_for
):
    """Inspectors see no statistics: their own department's assessment was once readable."""
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=YEAR)
    url = reverse("stats:assessment_detail", args=[assessment.pk])
    assert client_for(inspector_zhang).get(url).status_code == 403
