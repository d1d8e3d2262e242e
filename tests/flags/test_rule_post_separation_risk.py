from tests.flags.builders import CSC, POLICE, SCHOOL, CaseBuilder, D, retract

RULE = "post_separation_risk"
INCIDENT = D(2026, 3, 1)
SEPARATED = D(2026, 9, 1)  # six months after the incident
MOVED_IN = D(2020, 1, 1)
AT = D(2026, 10, 1)


def family():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1995, 3, 3), sex="female")
    dad = case.person("Dean", D(1992, 2, 2), sex="male")
    robin = case.child("Robin", D(2019, 4, 4))
    case.relate("biological_parent", mum, robin)
    case.relate("biological_parent", dad, robin)
    return case, mum, dad, robin


def test_post_separation_risk_fires_on_contact_after_a_separation_six_months_after_abuse():
    case, mum, dad, robin = family()
    case.relate("separated", mum, dad, SEPARATED)
    abuse = case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    contact = case.entry("note", D(2026, 9, 10), agency=CSC, about=[robin], present=[dad, robin], summary="Contact")
    [flag] = case.flags(RULE, AT)
    assert flag.key == f"couple:{mum.id}:{dad.id}"
    assert flag.people == (mum.id, dad.id, robin.id)
    assert flag.evidence == (abuse.id, contact.id)
    assert flag.explanation == (
        "Leanne Testfamily and Dean Testfamily separated on 1 September 2026 (recorded as separated); in the "
        "6 months before, domestic abuse involving Dean Testfamily was recorded (Northshire Police 1 March 2026) "
        "and since the separation Dean Testfamily has been recorded with Robin Testfamily (Northshire Children's "
        "Social Care 10 September 2026)."
    )


def test_post_separation_risk_quiet_when_the_separation_is_a_day_past_six_months():
    case, mum, dad, robin = family()
    case.relate("divorced", mum, dad, D(2026, 9, 2))
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, robin])
    assert case.flags(RULE, AT) == []


def test_post_separation_risk_quiet_when_the_separation_came_before_the_abuse():
    case, mum, dad, robin = family()
    case.relate("separated", mum, dad, D(2026, 2, 28))
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, robin])
    assert case.flags(RULE, AT) == []


def test_post_separation_risk_reads_a_partner_leaving_the_household():
    case, mum, dad, robin = family()
    case.relate("cohabiting", mum, dad, MOVED_IN)
    case.lives(mum, MOVED_IN)
    case.lives(robin, MOVED_IN)
    case.lives(dad, MOVED_IN, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad, mum])
    case.entry("note", D(2026, 9, 20), agency=SCHOOL, present=[dad, robin], summary="Dad collected Robin")
    [flag] = case.flags(RULE, AT)
    assert "separated on 1 September 2026 (Dean Testfamily left 12 Oak Road)" in flag.explanation


def test_post_separation_risk_reads_an_ended_partner_relationship():
    case, mum, dad, robin = family()
    case.relate("partner", mum, dad, MOVED_IN, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, robin])
    [flag] = case.flags(RULE, AT)
    assert "(their relationship recorded as ended)" in flag.explanation


def test_post_separation_risk_quiet_without_contact_after_the_separation():
    case, mum, dad, robin = family()
    case.relate("separated", mum, dad, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    case.entry("home_visit", D(2026, 8, 10), agency=CSC, seen=[dad, robin])
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, about=[dad, robin])  # named, not seen or present
    assert case.flags(RULE, AT) == []


def test_post_separation_risk_leaves_out_contact_with_an_adult_only():
    case, mum, dad, robin = family()
    nan = case.person("Nan", D(1960, 1, 1))
    case.relate("separated", mum, dad, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, nan])
    assert case.flags(RULE, AT) == []


def test_post_separation_risk_leaves_out_abuse_not_involving_the_couple():
    case, mum, dad, robin = family()
    uncle = case.person("Uncle", D(1985, 1, 1), sex="male")
    case.relate("separated", mum, dad, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[uncle])
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, robin])
    assert case.flags(RULE, AT) == []


def test_post_separation_risk_ignores_a_retracted_incident():
    case, mum, dad, robin = family()
    case.relate("separated", mum, dad, SEPARATED)
    retract(case, case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad]))
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, robin])
    assert case.flags(RULE, AT) == []


def test_post_separation_risk_ignores_retracted_contact():
    case, mum, dad, robin = family()
    case.relate("separated", mum, dad, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    retract(case, case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, robin]))
    assert case.flags(RULE, AT) == []


def test_post_separation_risk_window_is_a_parameter():
    case, mum, dad, robin = family()
    case.relate("separated", mum, dad, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad])
    case.entry("home_visit", D(2026, 9, 10), agency=CSC, seen=[dad, robin])
    assert case.flags(RULE, AT, {RULE: {"window_months": 5}}) == []


def test_post_separation_risk_leaves_out_the_parent_the_child_lives_with():
    case, mum, dad, robin = family()
    case.relate("cohabiting", mum, dad, MOVED_IN)
    case.lives(mum, MOVED_IN)
    case.lives(robin, MOVED_IN)
    case.lives(dad, MOVED_IN, SEPARATED)
    case.entry("domestic_abuse_incident", INCIDENT, agency=POLICE, about=[dad, mum])
    case.entry("home_visit", D(2026, 9, 20), agency=CSC, seen=[mum, robin])
    assert case.flags(RULE, AT) == []
