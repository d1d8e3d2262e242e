"""Existing cases get the first row of their legal-status history (from the day they opened), a
closure row if they are closed, and their lead professional in the team around the child."""

from django.db import migrations

BACKFILL_REASON = "Recorded when the case opened."


def forward(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    LegalStatusChange = apps.get_model("cases", "LegalStatusChange")
    CaseClosure = apps.get_model("cases", "CaseClosure")
    TeamMember = apps.get_model("cases", "TeamMember")
    for case in Case.objects.all().iterator():
        if not LegalStatusChange.objects.filter(case=case).exists():
            LegalStatusChange.objects.create(
                case=case,
                legal_status=case.legal_status,
                protection_category=case.protection_category if case.legal_status == "child_protection" else "",
                effective_from=case.opened_on,
                reason=BACKFILL_REASON,
            )
        if case.status == "closed" and case.closed_on and not CaseClosure.objects.filter(case=case).exists():
            CaseClosure.objects.create(
                case=case,
                closed_on=case.closed_on,
                outcome="other",
                reason="Closed before closures were recorded with a reason.",
            )
        if case.lead_professional_id and not TeamMember.objects.filter(
            case=case, user_id=case.lead_professional_id, ended_on__isnull=True
        ).exists():
            TeamMember.objects.create(
                case=case, user_id=case.lead_professional_id, role_in_case="Lead professional", started_on=case.opened_on
            )


def backward(apps, schema_editor):
    for name in ("LegalStatusChange", "CaseClosure", "TeamMember"):
        apps.get_model("cases", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_lifecycle")]

    operations = [migrations.RunPython(forward, backward)]
