"""One API style: an input serializer validates the body, the view calls the service with its
validated_data and answers with an output serializer. No serializer of an API module saves
anything itself (no create() or update() calling a service behind the view's back)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from rest_framework import serializers

ROOT = Path(__file__).resolve().parents[2]


def _api_modules():
    for path in sorted(ROOT.glob("**/api/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules", "tests"} or path.name == "__init__.py":
            continue
        yield importlib.import_module(".".join(relative.with_suffix("").parts))


def test_no_api_serializer_saves_through_create_or_update():
    saving = []
    modules = list(_api_modules())
    for module in modules:
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, serializers.BaseSerializer)
                and value.__module__ == module.__name__
            ):
                saving += [
                    f"{module.__name__}.{name}.{method}"
                    for method in ("create", "update", "save")
                    if method in vars(value)
                ]
    assert len(modules) >= 10, "the walk found the API modules"
    assert not saving, (
        f"serializers that write (make them input serializers and call the service in the view): {saving}"
    )


def test_request_bodies_keep_their_schema_names(api_as, users):
    """Input serializers are named for their resource, so the OpenAPI schema (and a generated
    client) still calls the bodies UserRequest, CaseRequest, PersonRequest and so on."""
    schema = api_as(users.admin).get("/api/v1/schema/?format=json").json()
    names = set(schema["components"]["schemas"])

    for body in (
        "Agency",
        "User",
        "Case",
        "CaseAgency",
        "Person",
        "Relationship",
        "Household",
        "HouseholdMember",
        "EcomapLink",
    ):
        assert f"{body}Request" in names and body in names
    assert "PatchedPersonRequest" in names
    create_pack = schema["paths"]["/api/v1/cases/{case_id}/packs/"]["post"]["responses"]
    assert create_pack["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/Pack")
