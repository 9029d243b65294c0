"""The public site: reads published data only, no login."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from spotcheck.accounts.models import Department
from spotcheck.audit.selectors import published_heads
from spotcheck.common.pagination import paginate
from spotcheck.draws.publication import inclusion_proofs, kit_exists, kit_zip
from spotcheck.draws.selectors import public_batches
from spotcheck.items.selectors import public_item_list
from spotcheck.plans.selectors import published_plans


def item_index(request):
    departments = Department.objects.filter(is_active=True)
    return render(request, "portal/item_index.html", {"departments": departments})


def item_list(request, department_code):
    """A department's published check-item list (随机抽查事项清单)."""
    department = get_object_or_404(Department, code=department_code, is_active=True)
    items = public_item_list(department)
    return render(request, "portal/item_list.html", {"department": department, "items": items})


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
    batch = _public_batch(number)
    visits = (
        batch.visits.select_related("entity")
        .prefetch_related("tasks__department")
        .order_by("visit_id")
    )
    context = {"batch": batch, "page": paginate(request, visits), "has_kit": kit_exists(batch)}
    return render(request, "portal/draw_detail.html", context)


def draw_kit(request, number):
    """The verification kit as a zip: inputs, record, selection, visits and verify.py."""
    batch = _public_batch(number)
    content = kit_zip(batch)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-kit.zip"'
    return response


def draw_proof(request, number):
    """An entity proves it was (or was not) in the committed population."""
    batch = _public_batch(number)
    uscc = request.GET.get("uscc", "").strip().upper()
    return JsonResponse(inclusion_proofs(batch, uscc), json_dumps_params={"ensure_ascii": False})


def audit_heads(request):
    """The published heads of the audit chain, so anyone can keep one and check it later."""
    return render(
        request, "portal/audit_heads.html", {"page": paginate(request, published_heads())}
    )
