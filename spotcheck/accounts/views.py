"""Signing in with a second factor, and a user's API tokens (shown once, listed, revoked)."""

import django_otp
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.client import client_ip
from spotcheck.common.pagination import paginate

from . import otp
from .forms import ApiTokenForm, OtpCodeForm
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


_OTP_SETUP_KEY = "otp_setup_key"


def _safe_next(request) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def otp_verify(request):
    """The TOTP code after the password; on first use, set up the authenticator app."""
    device = otp.otp_confirmed_device(request.user)
    key = None
    if device is None:
        key = request.session.get(_OTP_SETUP_KEY) or otp.otp_new_key()
        request.session[_OTP_SETUP_KEY] = key
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if device is None and otp.otp_code_matches_key(key, code):
            device = otp.otp_device_confirm(user=request.user, key=key)
            del request.session[_OTP_SETUP_KEY]
            django_otp.login(request, device)
            return redirect(_safe_next(request))
        if device is not None and django_otp.match_token(request.user, code) == device:
            django_otp.login(request, device)
            return redirect(_safe_next(request))
        otp.otp_failure_record(user=request.user, ip=client_ip(request))
        form.add_error("code", _("动态口令不正确或已过期，请重新输入"))
    context = {
        "form": form,
        "next": _safe_next(request),
        "setup_secret": otp.otp_key_base32(key) if key else None,
        "setup_uri": otp.otp_provisioning_uri(request.user, key) if key else None,
    }
    return render(request, "accounts/otp.html", context)
