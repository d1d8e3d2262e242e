from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # With AUDIT_SEAL_AFTER_REQUEST (the embedded default, no Celery beat), the pending audit
        # rows are sealed once each response has been sent (audit.sealer.seal_after_request).
        from django.core.signals import request_finished

        from audit.sealer import seal_after_request

        request_finished.connect(seal_after_request, dispatch_uid="audit.seal_after_request")
