"""Account pages: enrol an authenticator app, verify each new session with a code, change the
password, sign out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from accounts.forms import OneTimeCodeForm, PasswordChangeForm
from accounts.services import current_password_matches, user_password_change
from accounts.tokens import api_tokens_revoke_all
from accounts.twofactor import (
    confirmed_device_for_token,
    has_confirmed_device,
    pending_device,
    qr_data_uri,
    secret_base32,
)
from audit.services import audit_record
from core.forms import add_service_errors


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


@login_required
def password_change(request):
    """Change your own password. Every API token of the user is revoked and every other session
    ends; this one stays signed in."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        if not current_password_matches(request, user=user, password=form.cleaned_data["current_password"]):
            # Once locked out, the lock-out page replaces this one (accounts.lockout).
            form.add_error("current_password", "Your current password is not right")
        else:
            try:
                user_password_change(user=user, new_password=form.cleaned_data["new_password"], acting_user=user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, "Your password has been changed. You are signed out everywhere else.")
                return redirect("case-list")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


class SignOutView(auth_views.LogoutView):
    """Sign out of the website: this session ends and every API token of the user is revoked, so
    signing out leaves nothing of the user signed in. (POST /api/v1/auth/logout/ revokes only the
    token it is sent with.)"""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            api_tokens_revoke_all(user=request.user, reason="signed_out", acting_user=request.user, request=request)
        return super().post(request, *args, **kwargs)
