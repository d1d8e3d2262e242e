from rest_framework import serializers

from audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "actor_agency",
            "action",
            "case",
            "object_type",
            "object_id",
            "detail",
            "method",
            "path",
            "client_ip",
        ]


class SecurityEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "actor_username", "actor_agency", "method", "path", "client_ip", "user_agent"]
