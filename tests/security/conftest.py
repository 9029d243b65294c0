"""The permission matrix's world: real rows of two departments (市场监管 SCJGJ and 卫健 WJW),
most of them the market department's own, so that the health department's personas must get
the same 404 as for a missing row."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spotcheck.accounts.models import Role
from spotcheck.accounts.tokens import api_token_create
from spotcheck.checks.models import CheckRequest
from spotcheck.common.models import ExportJob
from spotcheck.draws.models import NoticeArchive
from spotcheck.draws.publication import format_access_code
from spotcheck.firms.models import CreditRepairRequest, FirmAccount, RecusalRequest
from spotcheck.imports.models import ImportJob
from spotcheck.inspections import followups, services
from spotcheck.inspections.evidence import evidence_add
from spotcheck.inspections.leads import lead_register
from spotcheck.inspections.models import (
    AbnormalListProposal,
    Evidence,
    FollowUp,
    ItemResult,
    MergeAnswer,
    MergeOffer,
    ResultCategory,
)
from spotcheck.items.models import CheckItem
from spotcheck.plans.models import SpotCheckTask
from spotcheck.plans.services import plan_create
from spotcheck.publication.models import DisclosureExemption, PublicRecord
from spotcheck.publication.services.announcements import announcement_publish
from spotcheck.publication.services.publishing import task_publish
from spotcheck.stats.joint_reports.models import ReportKind
from spotcheck.stats.joint_reports.services import report_open
from spotcheck.stats.services import (
    assessment_compute,
    assessment_evidence_add,
    yearly_report_build,
    yearly_report_request,
)
from tests.draw_fixtures import team_member
from tests.factories import EntityFactory, UserFactory
from tests.security.samples import PDF, PNG


@dataclass
class World:
    personas: dict  # persona name → user (None: anonymous)
    kwargs: dict  # URL keyword → value
    api_ids: dict  # OpenAPI path parameter → value


def _approve(visit, department_code, reviewer, code) -> tuple[ItemResult, Evidence]:
    """The department's result, with a photo, entered with `code`, submitted and approved."""
    services.ensure_results(visit)
    result = ItemResult.objects.get(visit=visit, department__code=department_code)
    user = team_member(visit, department_code).inspector.user
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    evidence = evidence_add(actor=user, result=result, upload=photo)
    services.result_enter(
        actor=user,
        result=result,
        categories=list(ResultCategory.objects.filter(code=code)),
        finding="现场检查情况",
        confirmations=list(visit.team.values_list("pk", flat=True)),
    )
    services.result_submit(actor=user, result=result)
    return services.result_review(actor=reviewer, result=result, decision="approve"), evidence


@pytest.fixture
def world(
    office_admin_wang,
    liaison_zhao,
    liaison_sun,
    reviewer_li,
    inspector_zhang,
    market_dept,
    health_dept,
    district,
    joint_visit,
    drawn_batch,
) -> World:
    reviewer_zhou = UserFactory(
        username="reviewer_zhou", role=Role.REVIEWER, department=health_dept
    )
    inspector_qian = UserFactory(
        username="inspector_qian", role=Role.INSPECTOR, department=health_dept
    )
    oversight_ma = UserFactory(username="oversight_ma", role=Role.OVERSIGHT, department=None)
    market_member = team_member(joint_visit, "SCJGJ")
    health_member = team_member(joint_visit, "WJW")

    # The market department's result: approved with a problem (a follow-up) and amended.
    market_result, evidence = _approve(joint_visit, "SCJGJ", reviewer_li, "follow_up")
    follow_up = FollowUp.objects.get(result=market_result)
    document = followups.follow_up_document_add(
        actor=liaison_zhao,
        follow_up=follow_up,
        upload=SimpleUploadedFile("整改通知书.pdf", PDF, content_type="application/pdf"),
        title="责令整改通知书",
    )
    amendment = services.amendment_propose(
        actor=liaison_zhao,
        result=market_result,
        reason="录入错误",
        categories=list(ResultCategory.objects.filter(code="no_problem")),
    )
    # The health department's result refuses publication: a proposal for the abnormal list,
    # decided by the registration department (market supervision).
    _approve(joint_visit, "WJW", reviewer_zhou, "not_published")
    proposal = AbnormalListProposal.objects.get()

    market_only = EntityFactory(departments=[market_dept])
    lead = lead_register(
        actor=liaison_zhao, entity=market_only, source="complaint", description="投诉过期食品"
    )
    plan = plan_create(actor=liaison_zhao, department=market_dept, year=2026, name="2026年度计划")
    job = ImportJob.objects.create(
        kind="entities",
        department=market_dept,
        created_by=liaison_zhao,
        original_name="entities.csv",
        stored_path="entities.csv",
    )
    market_task = SpotCheckTask.objects.get(department=market_dept, name="市场")
    # Rows of the market department that only their own people (or the office) may decide.
    check_request = CheckRequest.objects.create(
        kind="case",
        ground="complaint",
        entity=market_only,
        department=market_dept,
        planned_date=joint_visit.batch.created_at.date(),
        description="计划外检查",
        requested_by=liaison_zhao,
    )
    archive = NoticeArchive.objects.create(batch=drawn_batch, fmt="pdf", requested_by=liaison_zhao)
    export_job = ExportJob.objects.create(kind="entities", fmt="csv", requested_by=liaison_zhao)
    recusal = RecusalRequest.objects.create(member=market_member, reason="曾有业务往来")
    announcement_publish(actor=liaison_zhao, task=market_task)
    # Field work done and the market result published (then an exemption asked for, which
    # withholds nothing already public), so the portal's pages and a credit repair have a row.
    services.visit_complete(actor=market_member.inspector.user, visit=joint_visit)
    task_publish(actor=liaison_zhao, task=market_task)
    record = PublicRecord.objects.get(task=market_task)
    exemption = DisclosureExemption.objects.create(
        visit=joint_visit,
        task=market_task,
        department=market_dept,
        legal_ground="《政府信息公开条例》第十四条",
        requested_by=liaison_zhao,
    )
    repair = CreditRepairRequest.objects.create(
        record=record, visit=joint_visit, correction="已按要求整改"
    )
    # The market department's yearly assessment, with the department's evidence for a score, and
    # its yearly report, built.
    assessment = assessment_compute(actor=office_admin_wang, department=market_dept, year=2026)
    assessment_score = assessment.scores.order_by("pk").first()
    assessment_evidence = assessment_evidence_add(
        actor=liaison_zhao,
        score=assessment_score,
        upload=SimpleUploadedFile("培训计划.pdf", PDF, content_type="application/pdf"),
    )
    report = yearly_report_request(actor=liaison_zhao, department=market_dept, year=2026)
    yearly_report_build(report_id=report.pk)
    # The visit's firm, signed in to its account: what the public sees and its own page.
    firm_user = UserFactory(username="firm_qiye", role=Role.FIRM, department=None)
    FirmAccount.objects.create(
        user=firm_user, entity=joint_visit.entity, bound_by_visit=joint_visit
    )
    api_token_create(user=liaison_zhao, label="zhao的令牌")
    token = liaison_zhao.api_tokens.get()
    # A same-firm merge offer put to the market department alone (another department's is a 404).
    merge_offer = MergeOffer.objects.create(
        entity=joint_visit.entity, planned_date=joint_visit.planned_date
    )
    merge_offer.visits.set([joint_visit])
    MergeAnswer.objects.create(offer=merge_offer, department=market_dept)
    market_item = CheckItem.objects.get(code="SC-001")
    market_inspector = market_member.inspector
    joint = drawn_batch.joint_check
    # The market department's result report of the joint check, a draft.
    joint_report = report_open(actor=liaison_zhao, kind=ReportKind.RESULT, joint=joint)
    personas = {
        "office_admin_wang": office_admin_wang,
        "liaison_zhao": liaison_zhao,
        "liaison_sun": liaison_sun,
        "reviewer_li": reviewer_li,
        "reviewer_zhou": reviewer_zhou,
        "oversight_ma": oversight_ma,  # 监督人员: reads every batch and visit, changes nothing
        "inspector_zhang": inspector_zhang,  # market inspector, not on the visit
        "inspector_qian": inspector_qian,  # health inspector, not on the visit
        "team_market": market_member.inspector.user,  # on the visit for the market department
        "team_health": health_member.inspector.user,
        "firm": firm_user,
        "anonymous": None,
    }
    kwargs = {
        "key": market_only.key,
        "inspector_id": market_inspector.pk,
        "item_id": market_item.pk,
        "plan_id": plan.pk,
        "task_id": market_task.pk,
        "joint_id": joint.pk,
        "job_id": job.pk,
        "batch_id": drawn_batch.pk,
        "number": drawn_batch.number,
        "visit_pk": joint_visit.pk,
        "member_pk": market_member.pk,
        "result_pk": market_result.pk,
        "amendment_pk": amendment.pk,
        "evidence_pk": evidence.pk,
        "follow_up_pk": follow_up.pk,
        "document_pk": document.pk,
        "proposal_pk": proposal.pk,
        "lead_pk": lead.pk,
        "department_code": market_dept.code,
        "fmt": "docx",
        "token_id": token.pk,
        "pk": check_request.pk,
        "archive_id": archive.pk,
        "export_job_id": export_job.pk,
        "request_pk": recusal.pk,
        "exemption_id": exemption.pk,
        "access_code": format_access_code(joint_visit.access_code),
        "entity_code": record.uscc,
        "record_id": record.record_id,
        "repair_pk": repair.pk,
        "task_number": market_task.number,
        "action": "submit",
        "department_pk": market_dept.pk,
        "figure": "drawn",
        "assessment_id": assessment.pk,
        "score_id": assessment_score.pk,
        "evidence_id": assessment_evidence.pk,
        "report_id": report.pk,
        "report_fmt": "pdf",
        "merge_pk": merge_offer.pk,
        "joint_report_id": joint_report.pk,
    }
    api_ids = {
        "key": market_only.key,
        "inspector_id": market_inspector.pk,
        "item_id": market_item.pk,
        "item_version_id": market_item.current_version_id,
        "plan_id": plan.pk,
        "task_id": market_task.pk,
        "lead_pk": lead.pk,
        "batch_id": drawn_batch.pk,
        "joint_id": joint.pk,
        "visit_pk": joint_visit.pk,
        "result_pk": market_result.pk,
        "follow_up_pk": follow_up.pk,
        "department_code": market_dept.code,
        "number": drawn_batch.number,  # committed and drawn: in the public tier
    }
    return World(personas=personas, kwargs=kwargs, api_ids=api_ids)
