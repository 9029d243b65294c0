"""Thin views for the draw ceremony, visits, teams and dispatch."""

from collections import defaultdict
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.exports import record_export
from spotcheck.common.feedback import flash_errors
from spotcheck.common.pagination import paginate

from . import resume, selectors, services
from .archives import notice_archive_request
from .forms import BatchForm, RandomnessForm, RecusalForm, RedrawForm
from .models import ArchiveStatus
from .publication import full_kit_commands
from .recusal import may_recuse, team_member_recuse


@login_required
def batch_list(request):
    form = BatchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_create(
                actor=request.user,
                name=data["name"],
                tasks=data["tasks"] or [],
                joint_check=data["joint_check"],
                randomness_source=data["randomness_source"],
                randomness_due=data["randomness_due"],
            )
            return redirect("draws:batch_detail", batch_id=batch.pk)
        except ValidationError as error:
            form.add_error(None, error)
    page = paginate(request, selectors.batch_list(user=request.user))
    return render(request, "draws/batch_list.html", {"page": page, "form": form})


def _counts_by_task(batch) -> list[dict]:
    rows = defaultdict(lambda: {"strata": [], "population": 0, "sample": 0})
    for count in batch.record.get("counts", []):
        row = rows[count["task"]]
        row["strata"].append(count)
        row["population"] += count["population"]
        row["sample"] += count["sample"]
    return [{"task": task, **row} for task, row in sorted(rows.items())]


@login_required
def batch_detail(request, batch_id):
    batch = selectors.access_batch(request.user, batch_id)
    visits = selectors.visit_list(user=request.user, batch=batch).prefetch_related(
        "tasks__department", "team__inspector", "team__department"
    )
    context = {
        "batch": batch,
        "tasks": batch.tasks.select_related("department"),
        "counts": _counts_by_task(batch),
        "page": paginate(request, visits),
        "may_run": services.may_run_batch(request.user, batch),
        "may_download_notices": not selectors.is_field_inspector(request.user),
        "may_download_full_kit": services.may_download_full_kit(request.user),
        "full_kit_commands": full_kit_commands(batch),
        "randomness_open": timezone.now() >= batch.randomness_due,
        "randomness_form": RandomnessForm(),
        "redraw_form": RedrawForm(),
        "draw_stall": resume.draw_stall(batch),
    }
    return render(request, "draws/batch_detail.html", context)


@login_required
def batch_status(request, batch_id):
    batch = selectors.access_batch(request.user, batch_id)
    return JsonResponse(
        {
            "status": batch.status,
            "label": batch.get_status_display(),
            "stalled": resume.draw_stall(batch) is not None,
        }
    )


@login_required
@require_POST
def batch_commit(request, batch_id):
    batch = selectors.access_batch(request.user, batch_id)
    try:
        services.batch_commit(actor=request.user, batch=batch)
        messages.success(request, _("承诺已公布：抽查对象、抽取方案和随机数来源已锁定"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("draws:batch_detail", batch_id=batch.pk)


@login_required
@require_POST
def batch_draw(request, batch_id):
    batch = selectors.access_batch(request.user, batch_id)
    form = RandomnessForm(request.POST)
    if form.is_valid():
        try:
            services.batch_request_draw(actor=request.user, batch=batch, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
    else:
        messages.error(request, _("请填写公开随机数和在场见证人的姓名"))
    return redirect("draws:batch_detail", batch_id=batch.pk)


@login_required
@require_POST
def batch_resume_draw(request, batch_id):
    """继续抽取: queue again a draw whose job stopped or stalled."""
    batch = selectors.access_batch(request.user, batch_id)
    try:
        resume.batch_resume_draw(actor=request.user, batch=batch)
        messages.success(request, _("已重新开始抽取，完成后页面自动刷新"))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("draws:batch_detail", batch_id=batch.pk)


@login_required
@require_POST
def batch_redraw(request, batch_id):
    batch = selectors.access_batch(request.user, batch_id)
    form = RedrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("重新承诺须填写原因、新的随机数来源和时间"))
        return redirect("draws:batch_detail", batch_id=batch.pk)
    try:
        new = services.batch_redraw(actor=request.user, batch=batch, **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("draws:batch_detail", batch_id=batch.pk)
    return redirect("draws:batch_detail", batch_id=new.pk)


@login_required
def visit_detail(request, visit_pk):
    from spotcheck.firms.services import first_print_pending, may_reissue_pin, visit_pin_issued

    visit = selectors.access_visit(request.user, visit_pk)
    items_by_department = defaultdict(list)
    for task in visit.tasks.select_related("department").prefetch_related("items"):
        items_by_department[task.department].extend(task.items.all())
    team = selectors.visit_team(visit)
    context = {
        "visit": visit,
        "items_by_department": dict(items_by_department),
        "team": team,
        "recusable": {m.pk for m in team if m.recused_at is None and may_recuse(request.user, m)},
        "recusal_form": RecusalForm(),
        "may_reissue_pin": may_reissue_pin(request.user, visit),
        "first_print_pending": first_print_pending(request.user, visit),
        "pin_issued": visit_pin_issued(visit),
    }
    return render(request, "draws/visit_detail.html", context)


@login_required
@require_POST
def recuse(request, visit_pk, member_pk):
    visit = selectors.access_visit(request.user, visit_pk)
    member = get_object_or_404(visit.team.all(), pk=member_pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("回避须说明原因"))
    else:
        try:
            replacement = team_member_recuse(
                actor=request.user, member=member, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("已回避，由 %(name)s 递补") % {"name": replacement.inspector.name}
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            flash_errors(request, error)
    return redirect("draws:visit_detail", visit_pk=visit.pk)


NOTICE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def visit_notice(request, visit_pk, fmt):
    """A print of the letter that carries no PIN: a copy, or a later print that says the PIN went
    with the first letter. A GET never issues a PIN (a prefetch or a link preview would use it up
    unseen); the first letter is printed by its button (visit_notice_first_print)."""
    from spotcheck.firms.services import first_print_pending

    from .notices import notice_docx, notice_filename, notice_pdf

    if fmt not in NOTICE_TYPES:
        raise Http404
    visit = selectors.access_visit(request.user, visit_pk)
    if first_print_pending(request.user, visit):
        # The department that sends the letter would send one without the firm's PIN.
        messages.warning(
            request,
            _(
                "该通知书尚未首次打印：请点击「打印通知书并生成PIN码」，PIN码只印在首次打印的通知书上。"
            ),
        )
        return redirect("draws:visit_detail", visit_pk=visit.pk)
    render = notice_pdf if fmt == "pdf" else notice_docx
    content = render(visit)
    return _attachment(content, NOTICE_TYPES[fmt], notice_filename(visit, fmt))


@login_required
@require_POST
def visit_notice_first_print(request, visit_pk, fmt):
    """The organising department's first print: the letter with the firm's new PIN, audited with
    who printed it. Asked for once; a second ask says the PIN went with the first letter."""
    from spotcheck.firms.services import may_send_pins, visit_pin_issue_letter

    from .notices import notice_filename

    if fmt not in NOTICE_TYPES:
        raise Http404
    visit = selectors.access_visit(request.user, visit_pk)
    if not may_send_pins(request.user, visit.batch):
        raise PermissionDenied
    try:
        content = visit_pin_issue_letter(actor=request.user, visit=visit, fmt=fmt)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("draws:visit_detail", visit_pk=visit.pk)
    return _attachment(content, NOTICE_TYPES[fmt], notice_filename(visit, fmt))


@login_required
def batch_full_kit(request, batch_id):
    """Oversight (and the office) download the full verification kit, audited."""
    batch = selectors.access_batch(request.user, batch_id)
    if not services.may_download_full_kit(request.user):
        raise PermissionDenied
    content = services.batch_full_kit_download(actor=request.user, batch=batch)
    return _attachment(content, "application/zip", f"{batch.number}-full-kit.zip")


@login_required
@require_POST
def batch_notices(request, batch_id, fmt):
    """Queue the batch's letters as one zip; building 544 PDFs takes minutes, never a request."""
    if fmt not in NOTICE_TYPES:
        raise Http404
    batch = selectors.access_batch(request.user, batch_id)
    if selectors.is_field_inspector(request.user):
        raise PermissionDenied  # the archive names every firm of the batch before the check
    try:
        archive = notice_archive_request(actor=request.user, batch=batch, fmt=fmt)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("draws:batch_detail", batch_id=batch.pk)
    return redirect("draws:notice_archive", archive_id=archive.pk)


@login_required
def notice_archive(request, archive_id):
    """The archive's progress; htmx polls the fragment until the download link appears."""
    archive = selectors.access_notice_archive(request.user, archive_id)
    template = "draws/_archive_progress.html" if request.headers.get("HX-Request") else None
    return render(request, template or "draws/notice_archive.html", {"archive": archive})


@login_required
def notice_archive_download(request, archive_id):
    archive = selectors.access_notice_archive(request.user, archive_id)
    if archive.status != ArchiveStatus.DONE:
        raise Http404
    if not selectors.may_download_notice_archive(request.user, archive):
        raise PermissionDenied
    record_export(request.user, f"notices:{archive.batch.number}:{archive.fmt}")
    return FileResponse(
        open(archive.path, "rb"),
        as_attachment=True,
        filename=f"{archive.batch.number}-{archive.fmt}.zip",
        content_type="application/zip",
    )
