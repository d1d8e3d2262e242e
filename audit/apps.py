from django.apps import AppConfig
from django.conf import settings


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        if settings.AUDIT_SEAL_AFTER_REQUEST:
            # The embedded default (no Celery beat): seal once each response has been sent.
            from django.core.signals import request_finished

            from audit.sealer import seal_after_request

            request_finished.connect(seal_after_request, dispatch_uid="audit.seal_after_request")
