"""Two-factor pages: enrol an authenticator app, then verify each new session with a code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from accounts.forms import OneTimeCodeForm
from accounts.twofactor import (
    confirmed_device_for_token,
    has_confirmed_device,
    pending_device,
    qr_data_uri,
    secret_base32,
)
from audit.services import audit_record


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
def two_factor_setup(request):
    if has_confirmed_device(request.user):
        # A new app is enrolled only from a verified session, never with a password alone.
        return redirect("two-factor-verify")
    device = pending_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"].strip().replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=request.user, action="auth.2fa_enrolled", obj=device, request=request)
            return redirect(_next_url(request))
        audit_record(actor=request.user, action="auth.2fa_failed", request=request, detail={"stage": "enrol"})
        form.add_error("otp_token", "The code is not right. Enter the code your authenticator app shows now")
    uri = device.config_url
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "otpauth_uri": uri,
            "qr": qr_data_uri(uri),
            "secret": secret_base32(device),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_verify(request):
    if not has_confirmed_device(request.user):
        return redirect("two-factor-setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = confirmed_device_for_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            audit_record(actor=request.user, action="auth.2fa_verified", obj=device, request=request)
            return redirect(_next_url(request))
        audit_record(actor=request.user, action="auth.2fa_failed", request=request, detail={"stage": "verify"})
        form.add_error("otp_token", "The code is not right. Enter the code your authenticator app shows now")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )
