"""The yearly assessment (考评): the office computes and scores, a department uploads evidence
and reads its own scores with the records behind each. Thin: selectors and services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.accounts.models import Department
from spotcheck.common.feedback import flash_errors

from .forms import EvidenceForm, ScoreForm, YearForm
from .models import AssessmentEvidence
from .rules import can_add_assessment_evidence, can_score_assessment, can_view_dashboard
from .selectors import access_assessment_by_id, assessment_list, assessment_scores
from .services import assessment_compute, assessment_evidence_add, assessment_score_set


def _flash_form(request, form) -> None:
    messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return timezone.localdate().year - 1  # the assessment looks back on the last full year


@login_required
def assessment_index(request):
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    year = _year(request)
    context = {
        "year": year,
        "assessments": assessment_list(user=request.user, year=year),
        "can_score": can_score_assessment(request.user),
        "departments": Department.objects.filter(is_active=True),
    }
    return render(request, "stats/assessment_index.html", context)


@login_required
@require_POST
def assessment_compute_view(request):
    if not can_score_assessment(request.user):
        raise PermissionDenied
    form = YearForm(request.POST)
    department = get_object_or_404(Department, pk=request.POST.get("department"))
    if not form.is_valid() or not form.cleaned_data["year"]:
        _flash_form(request, form)
        return redirect("stats:assessment_index")
    assessment = assessment_compute(
        actor=request.user, department=department, year=form.cleaned_data["year"]
    )
    messages.success(request, _("已按平台数据计算考评得分"))
    return redirect("stats:assessment_detail", assessment.pk)


@login_required
def assessment_detail(request, assessment_id):
    assessment = access_assessment_by_id(request.user, assessment_id)
    query = urlencode({"year": assessment.year, "department": assessment.department_id})
    rows = []
    for score in assessment_scores(assessment):
        link = ""
        if score.figure:
            link = f"{reverse('stats:records', args=[score.figure])}?{query}"
        rows.append({"score": score, "records": link})
    context = {
        "assessment": assessment,
        "rows": rows,
        "total": sum((r["score"].score or 0) for r in rows),
        "can_score": can_score_assessment(request.user),
        "can_upload": can_add_assessment_evidence(request.user, assessment),
        "score_form": ScoreForm(),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "stats/assessment_detail.html", context)


def _score_of(request, assessment_id, score_id):
    assessment = access_assessment_by_id(request.user, assessment_id)
    return get_object_or_404(assessment.scores.select_related("indicator"), pk=score_id)


@login_required
@require_POST
def assessment_evidence_view(request, assessment_id, score_id):
    score = _score_of(request, assessment_id, score_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            assessment_evidence_add(
                actor=request.user, score=score, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("佐证材料已上传"))
        except ValidationError as error:
            flash_errors(request, error)
    else:
        _flash_form(request, form)
    return redirect("stats:assessment_detail", assessment_id)


@login_required
@require_POST
def assessment_score_view(request, assessment_id, score_id):
    score = _score_of(request, assessment_id, score_id)
    form = ScoreForm(request.POST)
    if form.is_valid():
        try:
            assessment_score_set(
                actor=request.user,
                score=score,
                value=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("评分已保存"))
        except ValidationError as error:
            flash_errors(request, error)
    else:
        _flash_form(request, form)
    return redirect("stats:assessment_detail", assessment_id)


@login_required
def assessment_evidence_download(request, assessment_id, evidence_id):
    assessment = access_assessment_by_id(request.user, assessment_id)
    evidence = get_object_or_404(AssessmentEvidence, pk=evidence_id, score__assessment=assessment)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
