"""The office's audit page: the chain head and the action that publishes it on the portal."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.pagination import paginate

from .models import AuditHeadPublication
from .selectors import published_heads
from .services import audit_chain_head, audit_head_publish


@permission_required("audit.view", raise_exception=True)
def head_list(request):
    context = {"head": audit_chain_head(), "page": paginate(request, published_heads())}
    return render(request, "audit/head_list.html", context)


@require_POST
@permission_required("audit.view", raise_exception=True)
def head_publish(request):
    publication = audit_head_publish(source=AuditHeadPublication.Source.OFFICE, actor=request.user)
    messages.success(request, _("已公布审计链头 %(hash)s") % {"hash": publication.head_hash})
    return redirect("audit:head_list")
