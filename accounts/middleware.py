"""Two-factor authentication: when OTP_REQUIRED is on, a signed-in session must be verified."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in but not yet verified session may use.
OPEN_PREFIXES = ("/static/", "/sign-out/", "/two-factor/", "/api/v1/auth/token/", "/api/v1/schema/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.OTP_REQUIRED and self._needs_verification(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor authentication is required: verify your session or use a token."},
                    status=403,
                )
            from accounts.twofactor import has_confirmed_device

            target = "two-factor-verify" if has_confirmed_device(request.user) else "two-factor-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_verification(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if user.is_verified():
            return False
        return not request.path.startswith(OPEN_PREFIXES)
