"""Genogram of a 200-person family: median time to draw it (SVG), beside dot alone on the same source.

    .venv/bin/python bench/genogram_bench.py [--people 200] [--runs 7]

The family is synthetic and built in memory (no database): four generations of couples with
children, second partnerships with half-siblings, households and emotional lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from genogram import graph as fg  # noqa: E402
from genogram.genogram_drawing import genogram_dot_source, render_genogram  # noqa: E402


def big_family(size: int, seed: int = 7) -> fg.Family:
    rng = random.Random(seed)
    people: list[fg.PersonData] = []
    rels: list[fg.RelationshipData] = []
    members: list[fg.MembershipData] = []
    households: list[fg.HouseholdData] = []

    def person(sex: str, born: dt.date, subject: bool = False) -> int:
        pid = len(people) + 1
        people.append(
            fg.PersonData(pid, f"Given{pid}", f"Family{pid % 17}", sex=sex, date_of_birth=born, is_subject=subject)
        )
        return pid

    def rel(kind: str, a: int, b: int, start=None, end=None) -> None:
        rels.append(fg.RelationshipData(len(rels) + 1, a, b, kind, start, end))

    def home(ids: list[int], since: dt.date) -> None:
        hid = len(households) + 1
        households.append(fg.HouseholdData(hid, f"Household {hid}"))
        members.extend(fg.MembershipData(i, hid, since) for i in ids)

    generation = [
        person("male", dt.date(1940 + i, 3, 1)) if i % 2 == 0 else person("female", dt.date(1941 + i, 5, 1))
        for i in range(8)
    ]
    year = 1965
    while len(people) < size:
        rng.shuffle(generation)
        children: list[int] = []
        for a, b in zip(generation[::2], generation[1::2], strict=False):
            if len(people) >= size:
                break
            start = dt.date(year - 2, 6, 1)
            rel("married", a, b, start, dt.date(year + 8, 1, 1))
            rel("divorced", a, b, dt.date(year + 8, 1, 1))
            kids = []
            for k in range(rng.randint(1, 3)):
                kid = person(rng.choice(["male", "female"]), dt.date(year + k * 2, 7, 1), subject=year > 2000)
                rel("biological_parent", a, kid)
                rel("biological_parent", b, kid)
                kids.append(kid)
            new = person("female" if people[a - 1].sex == "male" else "male", dt.date(year - 25, 1, 1))
            rel("cohabiting", a, new, dt.date(year + 9, 1, 1))
            half = person(rng.choice(["male", "female"]), dt.date(year + 10, 1, 1))
            rel("biological_parent", a, half)
            rel("biological_parent", new, half)
            home([a, new, half], dt.date(year + 9, 1, 1))
            home([b, *kids], dt.date(year + 8, 1, 1))
            if rng.random() < 0.3:
                rel("conflict", a, b, dt.date(year + 7, 1, 1))
            children += kids + [half]
        generation = children
        year += 25
    return fg.Family(tuple(people), tuple(rels), tuple(households), tuple(members))


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    family = big_family(args.people)
    at = dt.date(2026, 6, 1)
    source = genogram_dot_source(family, at)
    full = median_seconds(lambda: render_genogram(family, at, "svg"), args.runs)
    dot_only = median_seconds(
        lambda: subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True),
        args.runs,
    )
    print(f"people: {len(family.people)}, relationships: {len(family.relationships)}, runs: {args.runs}")
    print(f"genogram SVG (graph, layout, drawing pass): median {full * 1000:.0f} ms")
    print(f"dot alone on the same layout source:          median {dot_only * 1000:.0f} ms")


if __name__ == "__main__":
    main()
