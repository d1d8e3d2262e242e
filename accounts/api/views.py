from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import IsAdmin
from accounts.lockout import lockout_message
from accounts.models import User
from accounts.services import user_create
from accounts.twofactor import confirmed_device_for_token, has_confirmed_device
from audit.services import audit_record


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=512, trim_whitespace=False, write_only=True)
    otp_token = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="The current code from the user's authenticator app; required when two-factor "
        "authentication is on (OTP_REQUIRED).",
    )


class ObtainToken(APIView):
    """Exchange a username and password (and, when two-factor authentication is on, a one-time
    code) for an API token. Every attempt is audited; repeated failures lock the username out
    from that address for a while (429)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            # {"detail": ...} for refused credentials, field errors for malformed input.
            400: OpenApiTypes.OBJECT,
            429: inline_serializer("TokenLockedOut", {"detail": serializers.CharField()}),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:  # authenticate() has already sent user_login_failed, which is audited
            return Response({"detail": "Unable to sign in with those details."}, status=status.HTTP_400_BAD_REQUEST)
        if settings.OTP_REQUIRED:
            refusal = self._second_factor_refusal(request, user, data.validated_data.get("otp_token", ""))
            if refusal is not None:
                return refusal
        token, _ = Token.objects.get_or_create(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token.key})

    @staticmethod
    def _second_factor_refusal(request, user, otp_token: str) -> Response | None:
        if not has_confirmed_device(user):
            message = "Set up two-factor authentication by signing in to the website first."
        elif not otp_token:
            message = "Enter the code from your authenticator app."
        elif confirmed_device_for_token(user, otp_token) is None:
            message = "The code is not right."
        else:
            return None
        audit_record(actor=user, action="auth.2fa_failed", request=request._request, detail={"stage": "api_token"})
        return Response({"otp_token": [message]}, status=status.HTTP_400_BAD_REQUEST)


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=512)

    class Meta:
        model = User
        fields = ["id", "username", "password", "full_name", "agency", "role", "email"]
        extra_kwargs = {"email": {"required": False}}

    def create(self, validated_data):
        return user_create(acting_user=self.context["request"].user, **validated_data)


class UserListCreate(generics.ListCreateAPIView):
    """Users: administrators only."""

    serializer_class = UserSerializer
    permission_classes = [IsAdmin]
    queryset = User.objects.select_related("agency").all()
