"""The public site: reads published data only, no login."""

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department
from spotcheck.audit.selectors import published_heads
from spotcheck.common.pagination import paginate
from spotcheck.draws.publication import (
    entity_proofs,
    format_access_code,
    normalize_access_code,
    public_kit_zip,
    public_record,
    public_selection,
    verify_commands,
    visit_by_access_code,
    with_names,
)
from spotcheck.draws.selectors import public_batches
from spotcheck.items.selectors import public_item_list, public_joint_fields
from spotcheck.plans.selectors import published_plans

SELECTION_PAGE_SIZE = 20  # a phone shows a page without endless scrolling


def item_index(request):
    departments = Department.objects.filter(is_active=True)
    return render(request, "portal/item_index.html", {"departments": departments})


def item_list(request, department_code):
    """A department's published check-item list (随机抽查事项清单)."""
    department = get_object_or_404(Department, code=department_code, is_active=True)
    items = public_item_list(department)
    return render(request, "portal/item_list.html", {"department": department, "items": items})


def joint_items(request):
    """The joint-item list (部门联合抽查事项清单): fields, their items, leads and partners."""
    return render(request, "portal/joint_items.html", {"fields": public_joint_fields()})


def plans(request):
    """Published annual plans."""
    plans = published_plans().prefetch_related("batches__items")
    return render(request, "portal/plans.html", {"plans": plans})


def draws(request):
    """Every committed batch: commitments and the randomness source, published before the draw."""
    batches = public_batches()
    return render(request, "portal/draws.html", {"page": paginate(request, batches)})


def _public_batch(number: str):
    return get_object_or_404(public_batches(), number=number)


def draw_detail(request, number):
    """The public tier: commitments, randomness, seed, neutral counts, selected entities."""
    batch = _public_batch(number)
    page = paginate(request, public_selection(batch), per_page=SELECTION_PAGE_SIZE)
    page.object_list = with_names(list(page.object_list))
    context = {
        "batch": batch,
        "record": public_record(batch),
        "page": page,
        "commands": verify_commands(batch),
    }
    return render(request, "portal/draw_detail.html", context)


def draw_kit(request, number):
    """The public verification kit: the record and the selection without any stratum."""
    batch = _public_batch(number)
    response = HttpResponse(public_kit_zip(batch), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-kit.zip"'
    return response


def draw_proof(request, number):
    """An entity opens its own population lines and their proofs with its notice's code.

    Anyone else gets no line: the lines carry the stratum, i.e. the internal credit class."""
    batch = _public_batch(number)
    raw = request.GET.get("code", "")
    context = {"batch": batch, "code": raw.strip()}
    if raw.strip():
        code = normalize_access_code(raw)
        visit = visit_by_access_code(batch, code) if code else None
        if code is None:
            context["error"] = _(
                "查询码格式不正确：查询码为16位字母和数字（如 ABCD-EFGH-JKMN-PQRS），"
                "请按通知书上的查询码填写。"
            )
        elif visit is None:
            context["error"] = _("本批次没有这个查询码，请核对通知书上的批次编号和查询码。")
        else:
            proofs = entity_proofs(batch, visit.entity.key)
            if request.GET.get("format") == "json":
                response = JsonResponse(proofs, json_dumps_params={"ensure_ascii": False})
                filename = f"{batch.number}-{visit.entity.key}-proof.json"
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
            context.update(
                visit=visit,
                proofs=proofs,
                lines=[_proof_line(line) for line in proofs["lines"]],
                code=format_access_code(code),
                json_query=urlencode({"code": code, "format": "json"}),
            )
    status = 400 if "error" in context else 200
    return render(request, "portal/draw_proof.html", context, status=status)


def _proof_line(line: dict) -> dict:
    _uscc, stratum, task = line["line"].split("\t")
    return {"task": task, "stratum": stratum, "index": line["index"], "line": line["line"]}


def audit_heads(request):
    """The published heads of the audit chain, so anyone can keep one and check it later."""
    return render(
        request, "portal/audit_heads.html", {"page": paginate(request, published_heads())}
    )
