"""TOTP two-factor authentication (django-otp): enrolment and verification helpers."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from django_otp.models import Device

    from accounts.models import User

DEVICE_NAME = "Authenticator app"


def has_confirmed_device(user: User) -> bool:
    has: bool = user_has_device(user, confirmed=True)
    return has


def pending_device(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made on first use; confirmed by a correct code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, for an <img> the Content Security Policy allows."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def confirmed_device_for_token(user: User, token: str) -> Device | None:
    """The user's confirmed device that accepts this code, or None (django-otp throttles guesses)."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return None
    device: Device | None = match_token(user, token)
    return device
