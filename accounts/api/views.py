from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash, user_logged_in, user_logged_out
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.authentication import ExpiringTokenAuthentication
from accounts.api.permissions import IsAdmin
from accounts.lockout import lockout_message
from accounts.models import User
from accounts.services import current_password_matches, user_create, user_password_change
from accounts.tokens import api_token_issue, api_token_revoke
from accounts.twofactor import confirmed_device_for_token, has_confirmed_device
from audit.services import audit_record
from core.api import ModelFieldsSerializer, error_responses


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


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(help_text="When the token lapses unless it is used again.")


class ObtainToken(APIView):
    """Exchange a username and password (and, when two-factor authentication is on, a one-time
    code) for a new API token. The token lapses after API_TOKEN_IDLE_MINUTES without use and
    API_TOKEN_MAX_HOURS after this sign-in (`expiry` is when it lapses if not used again). Every
    attempt is audited; repeated failures lock the username out from that address for a while
    (429)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
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
        instance, token = api_token_issue(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token, "expiry": instance.expiry})

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


class Logout(APIView):
    """Sign out of the API: revoke the token this request is sent with (other tokens of the same
    user, held by other clients, stay valid). Audited."""

    authentication_classes = [ExpiringTokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        api_token_revoke(token=request.auth)
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=512, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(
        max_length=512,
        trim_whitespace=False,
        write_only=True,
        help_text="At least 10 characters, not a common password and not only digits.",
    )


class PasswordChange(APIView):
    """Change the signed-in user's password. Every API token of the user is revoked and every
    other session ends; the response holds a new token. A wrong current password is a field
    error and counts towards the sign-in lock-out (429 once locked). Audited."""

    @extend_schema(
        request=PasswordChangeSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiTypes.OBJECT,
            429: inline_serializer("PasswordChangeLockedOut", {"detail": serializers.CharField()}),
        },
    )
    def post(self, request):
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        if not current_password_matches(request._request, user=user, password=data.validated_data["current_password"]):
            if getattr(request._request, "axes_locked_out", False):
                return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            return Response(
                {"current_password": ["Your current password is not right."]}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            user_password_change(user=user, new_password=data.validated_data["new_password"], acting_user=user)
        except ValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        if request.auth is None:  # signed in with a session: keep it, end the others
            update_session_auth_hash(request._request, user)
        instance, token = api_token_issue(user=user)
        return Response({"token": token, "expiry": instance.expiry})


@extend_schema_serializer(component_name="User")
class UserInputSerializer(ModelFieldsSerializer):
    """The body of POST /users/."""

    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=512)

    class Meta:
        model = User
        fields = ["username", "password", "full_name", "agency", "role", "email"]
        extra_kwargs = {"email": {"required": False}}


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name", "agency", "role", "email"]


class UserListCreate(generics.ListAPIView):
    """Users: administrators only."""

    serializer_class = UserSerializer
    permission_classes = [IsAdmin]
    queryset = User.objects.select_related("agency").all()

    @extend_schema(request=UserInputSerializer, responses={201: UserSerializer, **error_responses(400, 403)})
    def post(self, request):
        body = UserInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = user_create(acting_user=request.user, **body.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)
