"""The demo family's structure: relationships, two households over time (the mother's new partner
moves in), grandparents, a half-sister in another household, and an ecomap. Synthetic people only."""

from __future__ import annotations

from genogram import services


def add_family_structure(ctx) -> None:
    """Called by `manage.py load_demo` after demo.case.build_demo made the case and its people."""
    user, case, p, a = ctx.lead, ctx.case, ctx.people, ctx.agencies

    def rel(kind, src, dst, start=None, end=None):
        services.relationship_create(
            acting_user=user, case=case, kind=kind, from_person=p[src], to_person=p[dst], start_date=start, end_date=end
        )

    split = ctx.years_ago(2, 60)
    together = ctx.days_ago(420)
    moved_in = ctx.days_ago(240)

    # partnerships, in date order
    rel("married", "maternal_grandfather", "maternal_grandmother", ctx.years_ago(32))
    rel("partner", "father", "half_sister_mother", ctx.years_ago(13, 100), ctx.years_ago(11, 200))
    rel("married", "father", "mother", ctx.years_ago(10, 30), split)
    rel("separated", "father", "mother", split)
    rel("partner", "partner", "mother", together, moved_in)
    rel("cohabiting", "partner", "mother", moved_in)
    # parents and children
    for parent in ("maternal_grandfather", "maternal_grandmother"):
        rel("biological_parent", parent, "mother")
    rel("biological_parent", "paternal_grandmother", "father")
    for child in ("tia", "ollie"):
        rel("biological_parent", "mother", child)
        rel("biological_parent", "father", child)
    rel("biological_parent", "mother", "baby")
    rel("biological_parent", "partner", "baby")
    rel("biological_parent", "father", "half_sister")
    rel("biological_parent", "half_sister_mother", "half_sister")
    # emotional relationships
    rel("close", "tia", "maternal_grandmother")
    rel("conflict", "father", "mother", split)
    rel("distant", "tia", "partner", moved_in)
    rel("close", "tia", "half_sister")

    # households over time
    home = services.household_create(acting_user=user, case=case, label="Marlow home", address="14 Alder Close")
    flat = services.household_create(acting_user=user, case=case, label="Dean's flat", address="3b Mill Street")
    dunmore = services.household_create(acting_user=user, case=case, label="Dunmore home", address="27 Fenwick Road")
    nan = services.household_create(acting_user=user, case=case, label="Stott home", address="9 Orchard Way")

    def live(household, key, start, end=None):
        return services.household_member_add(
            acting_user=user, household=household, person=p[key], from_date=start, to_date=end
        )

    live(home, "mother", ctx.years_ago(10, 30))
    live(home, "father", ctx.years_ago(10, 30), split)
    live(flat, "father", split)
    for child in ("tia", "ollie", "baby"):
        live(home, child, p[child].date_of_birth)
    live(home, "partner", moved_in)
    live(dunmore, "half_sister_mother", ctx.years_ago(14))
    live(dunmore, "half_sister", p["half_sister"].date_of_birth)
    live(nan, "maternal_grandmother", ctx.years_ago(32))
    live(nan, "maternal_grandfather", ctx.years_ago(32), p["maternal_grandfather"].date_of_death)

    # the ecomap around the Marlow home
    def link(strength, direction, *, person=None, household=None, agency=None, name="", kind="agency", start=None):
        services.ecomap_link_create(
            acting_user=user,
            case=case,
            person=p[person] if person else None,
            household=household,
            agency=a[agency] if agency else None,
            resource_name=name,
            resource_kind=kind,
            strength=strength,
            direction=direction,
            start_date=start,
        )

    link("strong", "both", person="tia", agency="school", kind="school")
    link("tenuous", "to_resource", person="ollie", agency="early_years", kind="school")
    link("tenuous", "from_resource", household=home, agency="gp", kind="health")
    link("strong", "from_resource", person="baby", agency="hv", kind="health")
    link("stressful", "both", household=home, agency="police", start=moved_in)
    link("strong", "from_resource", person="mother", name="Pauline Stott (grandmother)", kind="extended_family")
    link("tenuous", "to_resource", person="mother", name="St Anne's toddler group", kind="club")
