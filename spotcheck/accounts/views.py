"""A user's API tokens: create (shown once), list, revoke. The office sees and revokes all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.pagination import paginate

from .forms import ApiTokenForm
from .tokens import access_api_token_by_id, api_token_create, api_token_list, api_token_revoke


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        # Rendered in this response only, never put in a message or a redirect.
        new_token = api_token_create(user=request.user, actor=request.user, **form.cleaned_data)
        form = ApiTokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "page": paginate(request, api_token_list(user=request.user)),
    }
    return render(request, "accounts/token_list.html", context)


@require_POST
@login_required
def token_revoke(request, token_id):
    token = access_api_token_by_id(request.user, token_id)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌“%(label)s”已吊销") % {"label": token.label})
    return redirect("accounts:token_list")
