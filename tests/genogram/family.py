"""A blended family in memory (synthetic names), for the pure graph and layout tests.

Grandparents on both sides; Lee and Kerry married, then divorced; Lee now cohabits with Shannon
(their son Tyler is Robin's half-brother on the father's side); Kerry cohabits with Dean, who has a
daughter Jade by an earlier partner Tasha (Robin's step-sister) and an unborn child with Kerry
(a half-sibling on the mother's side). Dean moved into Mum's home on 2021-06-01.
"""

import datetime as dt

from genogram import graph as fg

P = fg.PersonData
R = fg.RelationshipData
M = fg.MembershipData
D = dt.date

GEORGE, MAUREEN, DEREK, JOAN, LEE, KERRY, DEAN, SHANNON, ROBIN, KIT, TYLER, JADE, UNBORN, TASHA = range(1, 15)
MUMS_HOME, DADS_FLAT, NANS = 1, 2, 3


def blended_family() -> fg.Family:
    people = (
        P(GEORGE, "George", "Ashdown", sex="male", date_of_birth=D(1955, 1, 1), date_of_death=D(2019, 5, 1)),
        P(MAUREEN, "Maureen", "Ashdown", sex="female", date_of_birth=D(1957, 3, 1)),
        P(DEREK, "Derek", "Pell", sex="male", date_of_birth=D(1960, 6, 1)),
        P(JOAN, "Joan", "Pell", sex="female", date_of_birth=D(1962, 2, 1)),
        P(LEE, "Lee", "Ashdown", sex="male", date_of_birth=D(1985, 4, 4)),
        P(KERRY, "Kerry", "Pell", sex="female", date_of_birth=D(1990, 7, 7)),
        P(DEAN, "Dean", "Walsh", sex="male", date_of_birth=D(1988, 9, 9)),
        P(SHANNON, "Shannon", "Price", sex="female", date_of_birth=D(1992, 1, 1)),
        P(ROBIN, "Robin", "Ashdown", sex="female", date_of_birth=D(2015, 4, 4), is_subject=True),
        P(KIT, "Kit", "Ashdown", sex="male", date_of_birth=D(2018, 11, 1), is_subject=True),
        P(TYLER, "Tyler", "Ashdown", sex="male", date_of_birth=D(2021, 2, 2)),
        P(JADE, "Jade", "Walsh", sex="female", date_of_birth=D(2012, 5, 5)),
        P(UNBORN, "Baby", "Walsh", sex="unknown", expected_date_of_delivery=D(2026, 9, 1)),
        P(TASHA, "Tasha", "Moore", sex="female", date_of_birth=D(1989, 1, 1)),
    )
    rels = (
        R(1, GEORGE, MAUREEN, "married", D(1980, 1, 1)),
        R(2, DEREK, JOAN, "married", D(1984, 1, 1)),
        R(3, GEORGE, LEE, "biological_parent"),
        R(4, MAUREEN, LEE, "biological_parent"),
        R(5, DEREK, KERRY, "biological_parent"),
        R(6, JOAN, KERRY, "biological_parent"),
        R(7, LEE, KERRY, "married", D(2014, 1, 1), D(2020, 1, 1)),
        R(8, LEE, KERRY, "divorced", D(2020, 1, 1)),
        R(9, LEE, ROBIN, "biological_parent"),
        R(10, KERRY, ROBIN, "biological_parent"),
        R(11, LEE, KIT, "biological_parent"),
        R(12, KERRY, KIT, "biological_parent"),
        R(13, LEE, SHANNON, "cohabiting", D(2020, 3, 1)),
        R(14, LEE, TYLER, "biological_parent"),
        R(15, SHANNON, TYLER, "biological_parent"),
        R(16, KERRY, DEAN, "cohabiting", D(2021, 1, 1)),
        R(17, DEAN, JADE, "biological_parent"),
        R(18, TASHA, JADE, "biological_parent"),
        R(19, DEAN, TASHA, "partner", D(2010, 1, 1), D(2013, 1, 1)),
        R(20, KERRY, UNBORN, "biological_parent"),
        R(21, DEAN, UNBORN, "biological_parent"),
        R(22, DEAN, ROBIN, "step_parent", D(2021, 6, 1)),
        R(23, KERRY, JOAN, "conflict"),
        R(24, ROBIN, MAUREEN, "close"),
        R(25, DEAN, KERRY, "abuse", D(2022, 1, 1)),
        R(26, LEE, DEREK, "cutoff"),
        R(27, JADE, ROBIN, "distant"),
    )
    households = (
        fg.HouseholdData(MUMS_HOME, "Mum's home"),
        fg.HouseholdData(DADS_FLAT, "Dad's flat"),
        fg.HouseholdData(NANS, "Nan's house"),
    )
    memberships = (
        M(KERRY, MUMS_HOME, D(2014, 1, 1)),
        M(ROBIN, MUMS_HOME, D(2015, 4, 4)),
        M(KIT, MUMS_HOME, D(2018, 11, 1)),
        M(DEAN, MUMS_HOME, D(2021, 6, 1)),
        M(JADE, MUMS_HOME, D(2021, 6, 1)),
        M(UNBORN, MUMS_HOME, D(2021, 6, 1)),
        M(LEE, MUMS_HOME, D(2014, 1, 1), D(2020, 1, 1)),
        M(LEE, DADS_FLAT, D(2020, 1, 1)),
        M(SHANNON, DADS_FLAT, D(2020, 3, 1)),
        M(TYLER, DADS_FLAT, D(2021, 2, 2)),
        M(MAUREEN, NANS, D(1980, 1, 1)),
        M(GEORGE, NANS, D(1980, 1, 1)),
    )
    links = (
        fg.EcomapLinkData(1, "Riverside Primary School", "strong", "both", "school", person_id=ROBIN),
        fg.EcomapLinkData(2, "Northshire Police", "stressful", "from_resource", "agency", household_id=MUMS_HOME),
        fg.EcomapLinkData(3, "Riverside Surgery (GP)", "tenuous", "to_resource", "health", household_id=MUMS_HOME),
        fg.EcomapLinkData(4, "Probation", "tenuous", "none", "agency", person_id=LEE),
    )
    return fg.Family(people, rels, households, memberships, links)
