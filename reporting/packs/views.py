"""The Packs tab of a case: request a pack, follow its progress, download it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import permissions
from cases.selectors import case_for_user
from core.forms import add_service_errors
from reporting.packs.forms import PackRequestForm
from reporting.packs.models import PackStatus
from reporting.packs.selectors import case_packs
from reporting.packs.services import PackQueueUnavailable, pack_request


@login_required
@require_http_methods(["GET", "POST"])
def case_packs_page(request, case_id: int):
    case = case_for_user(request.user, case_id)
    may_generate = permissions.can_request_pack(request.user)
    form = PackRequestForm(request.POST or None, case=case) if may_generate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only chairs, managers, social workers and administrators generate packs.")
        if form.is_valid():
            try:
                pack = pack_request(acting_user=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PackQueueUnavailable as exc:
                messages.error(request, str(exc))
                return redirect("case-packs", case_id=case.pk)
            else:
                kind = pack.get_kind_display()
                if getattr(pack, "already_in_progress", False):
                    messages.success(
                        request,
                        f"You already asked for this {kind.lower()} pack and it is still being built: "
                        "its progress is shown below. No second copy was started.",
                    )
                else:
                    messages.success(request, f"{kind} pack requested. Its progress is shown below.")
                return redirect("case-packs", case_id=case.pk)
    packs = list(case_packs(case).order_by("-id")[:50])
    in_progress = [pack for pack in packs if pack.status in (PackStatus.QUEUED, PackStatus.RUNNING)]
    audit_record(actor=request.user, action="pack.listed", case=case, detail={"count": len(packs)})
    return render(
        request,
        "reporting/packs/case_packs.html",
        {
            "case": case,
            "form": form,
            "packs": packs,
            "in_progress": in_progress,
            "tab": "packs",
            "may_generate": may_generate,
        },
    )
