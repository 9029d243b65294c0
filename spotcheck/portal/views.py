"""The public site: reads published data only, no login."""

from django.shortcuts import get_object_or_404, render

from spotcheck.accounts.models import Department
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
