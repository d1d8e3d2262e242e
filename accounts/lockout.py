"""What a locked-out sign-in sees: the sign-in (or password) page with an explanation, or JSON on
the API."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.forms import PasswordChangeForm, SignInForm


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many failed sign-in attempts. Signing in with this username is blocked for {minutes} "
        "minutes. Wait and try again, or ask your administrator to unlock your account."
    )


def lockout_response(request, original_response=None, credentials=None):
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=status)
    if request.path == reverse("password-change") and request.user.is_authenticated:
        # A signed-in user re-entering a wrong current password stays on the password page.
        return render(
            request,
            "accounts/password_change.html",
            {"form": PasswordChangeForm(), "locked_out": lockout_message()},
            status=status,
        )
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": str(username)[:150]})
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")},
        status=status,
    )
