"""Follow-ups stay open until closed with a result; a transfer shows them to the receiving
department; abnormal-list proposals are decided by the registration department; the 10-day rule
names overdue results."""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.directory.models import MarketEntity
from spotcheck.inspections import services
from spotcheck.inspections.followups import (
    abnormal_proposal_decide,
    follow_up_close,
    follow_up_document_add,
    follow_up_set_kind,
)
from spotcheck.inspections.models import (
    AbnormalListProposal,
    AbnormalProposalStatus,
    FieldVisit,
    FollowUp,
    FollowUpKind,
    ItemResult,
    ResultCategory,
)
from spotcheck.inspections.overdue import overdue_result_list
from spotcheck.inspections.selectors import follow_up_list
from tests.draw_fixtures import team_member
from tests.factories import UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def approve(visit, department_code, reviewer, *codes) -> ItemResult:
    """The department's result entered with `codes`, submitted and approved."""
    services.ensure_results(visit)
    result = ItemResult.objects.get(visit=visit, department__code=department_code)
    user = team_member(visit, department_code).inspector.user
    categories = list(ResultCategory.objects.filter(code__in=codes))
    services.result_enter(
        actor=user,
        result=result,
        categories=categories,
        finding="现场检查情况",
        # an order to rectify names its measure; a clean result has none
        measures="责令限期改正" if any(c.needs_measure for c in categories) else "",
        confirmations=list(visit.team.values_list("pk", flat=True)),
    )
    services.result_submit(actor=user, result=result)
    return services.result_review(actor=reviewer, result=result, decision="approve")


@pytest.fixture
def follow_up(joint_visit, reviewer_li) -> FollowUp:
    approve(joint_visit, "SCJGJ", reviewer_li, "follow_up")
    return FollowUp.objects.get()


@pytest.fixture
def reviewer_zhou(health_dept):
    return UserFactory(username="reviewer_zhou", role="reviewer", department=health_dept)


# ---------------------------------------------------------------- follow-ups


def test_problem_result_opens_a_follow_up_that_closes_only_with_a_result(
    follow_up, liaison_zhao, joint_visit
):
    # given an approved result with a problem found
    assert follow_up.is_open and follow_up.kind == FollowUpKind.UNDECIDED
    assert follow_up.entity == joint_visit.entity
    # when it is closed before a measure is chosen, or without a result
    with pytest.raises(ValidationError, match="请先确定处置方式"):
        follow_up_close(actor=liaison_zhao, follow_up=follow_up, closing_result="已整改")
    with pytest.raises(ValidationError, match="责令整改须填写整改期限"):
        follow_up_set_kind(actor=liaison_zhao, follow_up=follow_up, kind="rectification")
    follow_up_set_kind(
        actor=liaison_zhao,
        follow_up=follow_up,
        kind="rectification",
        deadline=date(2027, 1, 15),
        description="责令十五日内改正",
    )
    with pytest.raises(ValidationError, match="办结须填写办结结果"):
        follow_up_close(actor=liaison_zhao, follow_up=follow_up, closing_result="  ")
    # then it is still open; with a result it closes, and stays closed
    follow_up.refresh_from_db()
    assert follow_up.is_open and follow_up.deadline == date(2027, 1, 15)
    follow_up_close(actor=liaison_zhao, follow_up=follow_up, closing_result="复查已整改到位")
    follow_up.refresh_from_db()
    assert not follow_up.is_open and follow_up.closing_result == "复查已整改到位"
    with pytest.raises(ValidationError, match="已办结"):
        follow_up_close(actor=liaison_zhao, follow_up=follow_up, closing_result="再次办结")
    events = AuditEvent.objects.filter(
        target_id=str(follow_up.pk), target_type="inspections.followup"
    )
    assert [e.event_type for e in events.order_by("pk")] == [
        AuditEventType.FOLLOW_UP_OPENED,
        AuditEventType.FOLLOW_UP_UPDATED,
        AuditEventType.FOLLOW_UP_CLOSED,
    ]
    assert events.order_by("pk")[1].extra["kind"] == "rectification"


def test_close_through_the_page_needs_the_result(follow_up, liaison_zhao, client_for):
    client = client_for(liaison_zhao)
    follow_up_set_kind(actor=liaison_zhao, follow_up=follow_up, kind="case")
    url = f"/inspections/follow-ups/{follow_up.pk}/close/"
    refused = client.post(url, {"closing_result": ""})
    assert refused.status_code == 400
    assert "办结须填写办结结果" in refused.content.decode()
    closed = client.post(url, {"closing_result": "立案查处，罚款五千元"})
    assert closed.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.closed_by == liaison_zhao
    page = client.get("/inspections/follow-ups/?state=closed").content.decode()
    assert follow_up.entity.name in page


def test_a_transfer_shows_the_follow_up_to_the_receiving_department(
    follow_up, liaison_zhao, liaison_sun, health_dept, client_for
):
    # given another department cannot see the market department's follow-up
    sun = client_for(liaison_sun)
    detail = f"/inspections/follow-ups/{follow_up.pk}/"
    assert not follow_up_list(user=liaison_sun).exists()
    assert sun.get(detail).status_code == 404
    # when it is transferred to that department
    zhao = client_for(liaison_zhao)
    response = zhao.post(
        f"/inspections/follow-ups/{follow_up.pk}/kind/",
        {"kind": "transfer_department", "transferred_to": health_dept.pk, "description": "移送"},
    )
    assert response.status_code == 302
    # then the receiving department sees it, but the opening department keeps handling it
    assert list(follow_up_list(user=liaison_sun)) == [follow_up]
    page = sun.get(detail)
    assert page.status_code == 200 and health_dept.name in page.content.decode()
    assert 'id="close-form"' not in page.content.decode()
    assert sun.post(f"{detail}close/", {"closing_result": "x"}).status_code == 403


def test_transfer_needs_another_department(follow_up, liaison_zhao, market_dept):
    with pytest.raises(ValidationError, match="须选择接收部门"):
        follow_up_set_kind(
            actor=liaison_zhao,
            follow_up=follow_up,
            kind="transfer_department",
            transferred_to=market_dept,
        )


def test_documents_are_checked_by_content_and_downloaded_in_scope(
    follow_up, liaison_zhao, liaison_sun, client_for, settings
):
    zhao = client_for(liaison_zhao)
    upload_url = f"/inspections/follow-ups/{follow_up.pk}/documents/"
    fake = SimpleUploadedFile("整改通知书.pdf", b"not a pdf at all", content_type="application/pdf")
    refused = zhao.post(upload_url, {"title": "整改通知书", "file": fake})
    assert refused.status_code == 400
    assert "只能上传 PDF、JPEG 或 PNG 文件（按文件内容识别）" in refused.content.decode()
    photo = SimpleUploadedFile("../../etc/现场.png", PNG, content_type="text/plain")
    assert zhao.post(upload_url, {"title": "现场照片", "file": photo}).status_code == 302
    document = follow_up.documents.get()
    stored = Path(document.file.path)
    assert document.content_type == "image/png" and stored.suffix == ".png"
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT)) and "etc" not in stored.parts
    url = f"/inspections/follow-ups/{follow_up.pk}/documents/{document.pk}/"
    download = zhao.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert client_for(liaison_sun).get(url).status_code == 404
    event = AuditEvent.objects.get(event_type=AuditEventType.FOLLOW_UP_DOCUMENT_ADDED)
    assert event.extra["follow_up"] == follow_up.pk


def test_documents_refused_once_closed(follow_up, liaison_zhao):
    follow_up_set_kind(actor=liaison_zhao, follow_up=follow_up, kind="follow_up_check")
    follow_up_close(actor=liaison_zhao, follow_up=follow_up, closing_result="跟踪检查无问题")
    with pytest.raises(ValidationError, match="已办结"):
        follow_up_document_add(
            actor=liaison_zhao,
            follow_up=follow_up,
            upload=SimpleUploadedFile("a.png", PNG),
            title="补充",
        )


def test_another_department_cannot_handle_the_follow_up(follow_up, liaison_sun):
    with pytest.raises(PermissionDenied):
        follow_up_set_kind(actor=liaison_sun, follow_up=follow_up, kind="case")


# ---------------------------------------------------------------- abnormal-list proposals


@pytest.fixture
def proposal(joint_visit, reviewer_li) -> AbnormalListProposal:
    approve(joint_visit, "SCJGJ", reviewer_li, "not_published")
    return AbnormalListProposal.objects.get()


def test_accepting_a_proposal_lists_the_entity_and_keeps_history(
    proposal, liaison_zhao, client_for
):
    # given the entity is not listed and its history has its earlier versions
    entity = MarketEntity.objects.get(pk=proposal.entity_id)
    versions_before = entity.history.count()
    assert not entity.abnormal_listed
    # when the registration department accepts the proposal
    response = client_for(liaison_zhao).post(
        f"/inspections/abnormal/{proposal.pk}/decide/", {"accept": "1"}
    )
    assert response.status_code == 302
    # then the flag is set through the directory service, with a new history version
    entity.refresh_from_db()
    proposal.refresh_from_db()
    assert entity.abnormal_listed
    assert proposal.status == AbnormalProposalStatus.ACCEPTED
    assert proposal.decided_by == liaison_zhao
    assert entity.history.count() == versions_before + 1
    assert entity.history.order_by("-history_date")[1].abnormal_listed is False
    decided = AuditEvent.objects.get(event_type=AuditEventType.ABNORMAL_DECIDED)
    assert decided.extra["accepted"] is True and decided.extra["entity"] == entity.key
    assert AuditEvent.objects.filter(event_type=AuditEventType.ENTITY_UPDATED).exists()
    with pytest.raises(ValidationError, match="该提请已作出决定"):
        abnormal_proposal_decide(actor=liaison_zhao, proposal=proposal, accept=False, reason="x")


def test_refusal_needs_a_reason_and_leaves_the_entity(proposal, liaison_zhao):
    with pytest.raises(ValidationError, match="不予列入须说明理由"):
        abnormal_proposal_decide(actor=liaison_zhao, proposal=proposal, accept=False)
    abnormal_proposal_decide(
        actor=liaison_zhao, proposal=proposal, accept=False, reason="已补报年报"
    )
    assert not MarketEntity.objects.get(pk=proposal.entity_id).abnormal_listed


def test_only_the_registration_department_and_office_decide(
    proposal, liaison_sun, office_admin_wang, client_for, settings
):
    # the health department neither sees nor decides the market department's proposal
    hidden = client_for(liaison_sun).get("/inspections/abnormal/?state=all").content.decode()
    assert proposal.entity.name not in hidden
    assert (
        client_for(liaison_sun)
        .post(f"/inspections/abnormal/{proposal.pk}/decide/", {"accept": "1"})
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        abnormal_proposal_decide(actor=liaison_sun, proposal=proposal, accept=True)
    # the registration department is a setting
    settings.SPOTCHECK_REGISTRATION_DEPARTMENT = "WJW"
    page = client_for(liaison_sun).get("/inspections/abnormal/").content.decode()
    assert proposal.entity.name in page
    abnormal_proposal_decide(actor=office_admin_wang, proposal=proposal, accept=True)
    assert MarketEntity.objects.get(pk=proposal.entity_id).abnormal_listed


# ---------------------------------------------------------------- the 10-day rule


@pytest.fixture
def completed_visit(joint_visit):
    services.visit_complete(
        actor=team_member(joint_visit, "SCJGJ").inspector.user, visit=joint_visit
    )
    return joint_visit


def test_overdue_selector_names_unsubmitted_results_past_the_deadline(
    completed_visit, liaison_zhao, liaison_sun, reviewer_li
):
    due = FieldVisit.objects.get(visit=completed_visit).results_due
    assert due is not None
    assert not overdue_result_list(user=liaison_zhao, today=due).exists()  # due day itself
    late = due + timedelta(days=1)
    assert {r.department.code for r in overdue_result_list(user=liaison_zhao, today=late)} == {
        "SCJGJ",
        "WJW",
    }  # the lead department sees what is owed to it
    assert [r.department.code for r in overdue_result_list(user=liaison_sun, today=late)] == ["WJW"]
    approve(completed_visit, "SCJGJ", reviewer_li, "no_problem")
    assert [r.department.code for r in overdue_result_list(user=liaison_zhao, today=late)] == [
        "WJW"
    ]


def test_flag_overdue_prints_by_department_and_team(completed_visit):
    due = FieldVisit.objects.get(visit=completed_visit).results_due
    out = StringIO()
    call_command("flag_overdue", date=(due + timedelta(days=3)).isoformat(), stdout=out)
    text = out.getvalue()
    market_team = completed_visit.team.filter(department__code="SCJGJ", recused_at=None)
    assert "SCJGJ 东城区市场监督管理局" in text and "WJW 东城区卫生健康委员会" in text
    assert "检查组：" + "、".join(m.inspector.name for m in market_team.order_by("rank")) in text
    assert f"{completed_visit.batch.number}/{completed_visit.visit_id}" in text
    assert "逾期 3 天" in text and "2 overdue result(s)" in text
    quiet = StringIO()
    call_command("flag_overdue", date=due.isoformat(), stdout=quiet)
    assert quiet.getvalue().strip() == "no overdue results"


def test_overdue_page_lists_the_visit_with_its_team(completed_visit, liaison_sun, client_for, db):
    FieldVisit.objects.filter(visit=completed_visit).update(
        results_due=timezone.localdate() - timedelta(days=2)
    )
    page = client_for(liaison_sun).get("/inspections/overdue/").content.decode()
    assert completed_visit.visit_id in page and completed_visit.entity.name in page
    for member in completed_visit.team.filter(recused_at=None).select_related("inspector"):
        assert member.inspector.name in page
    outsider = UserFactory(username="liaison_qian", role="department_admin")
    assert (
        completed_visit.visit_id
        not in client_for(outsider).get("/inspections/overdue/").content.decode()
    )
