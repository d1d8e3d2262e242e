from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import IsAdmin
from accounts.models import User
from accounts.services import user_create


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=512, trim_whitespace=False, write_only=True)


class ObtainToken(APIView):
    """Exchange a username and password for an API token. Every attempt is audited."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:  # authenticate() has already sent user_login_failed, which is audited
            return Response({"detail": "Unable to sign in with those details."}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token.key})


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
