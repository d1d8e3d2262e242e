"""GEDCOM 5.5.1 exchange: import people, partnerships and parent-child links into a case (all or
nothing), and export a case's family.

Reading uses ged4py (a maintained GEDCOM parser); writing is plain text in the 5.5.1 grammar.
Dates keep their precision: "17 MAR 1777" is an exact day, "APR 1744" a month, "1755" a year and
"ABT 1808" (or BEF, AFT, BET, CAL, EST) an estimate. A year-only date is stored as 1 January.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from ged4py import date as gdate
from ged4py.parser import GedcomReader, ParserError

from accounts.models import User
from audit.services import audit_record
from cases import services as chronology_services
from cases.models import Case, Person
from genogram import graph as fg
from genogram import services
from genogram.models import PersonGedcom

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
SEX_IN = {"M": "male", "F": "female", "U": "unknown", "X": "other"}
SEX_OUT = {"male": "M", "female": "F", "other": "U", "unknown": "U"}


@dataclass
class GedDate:
    value: dt.date
    precision: str


def parse_date(raw) -> GedDate | None:
    """A ged4py DateValue (or text) to a date with its precision; None when it holds no usable date."""
    if raw is None:
        return None
    value = raw if isinstance(raw, gdate.DateValue) else gdate.DateValue.parse(str(raw))
    kind = value.kind.name
    if kind == "PHRASE":
        return _parse_phrase(value.phrase)
    date = getattr(value, "date", None) or getattr(value, "date1", None)
    if date is None or getattr(date, "year", None) is None or getattr(date, "bc", False):
        return None
    if getattr(date, "calendar", None) is not None and date.calendar.name != "GREGORIAN":
        return None
    month = date.month_num or 1
    day = date.day or 1
    try:
        when = dt.date(int(date.year), month, day)
    except ValueError:
        return None
    if kind != "SIMPLE":
        precision = "estimated"
    elif date.day:
        precision = "day"
    elif date.month_num:
        precision = "month"
    else:
        precision = "year"
    return GedDate(when, precision)


def _parse_phrase(text: str) -> GedDate | None:
    """Some programs write dates outside the grammar, like "29 December 1812": read the common forms."""
    cleaned = (text or "").strip().strip("()").strip()
    for fmt, precision in (("%d %B %Y", "day"), ("%d %b %Y", "day"), ("%B %Y", "month"), ("%Y", "year")):
        try:
            return GedDate(dt.datetime.strptime(cleaned, fmt).date(), precision)  # noqa: DTZ007 - a date, not a time
        except ValueError:
            continue
    return None


def format_date(value: dt.date, precision: str) -> str:
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    if precision == "estimated":
        if value.month == 1 and value.day == 1:
            return f"ABT {value.year}"
        return f"ABT {value.day} {MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


# --- import ---------------------------------------------------------------------------------

# A level-0 record line: "0 @I1@ INDI" (any GEDCOM line ending, leading spaces allowed).
_RECORD0 = re.compile(rb"(?:^|[\r\n])[ \t]*0[ \t]+@[^@\r\n]{1,80}@[ \t]+(INDI|FAM)(?=[ \t\r\n]|$)")
XREF_MAX_LENGTH = PersonGedcom._meta.get_field("xref").max_length


def _megabytes(size: int) -> str:
    return f"{size:,} bytes ({size / (1024 * 1024):,.1f} MB)"


def file_size_error(size: int) -> str:
    """The message for a file over GENOGRAM_IMPORT_MAX_BYTES, or "" for one within it."""
    max_bytes = settings.GENOGRAM_IMPORT_MAX_BYTES
    if size <= max_bytes:
        return ""
    return f"The file is {_megabytes(size)}; a GEDCOM file may be at most {_megabytes(max_bytes)}."


def check_import_size(data: bytes) -> None:
    """Refuse a file over the limits before it is parsed, so a huge family tree costs one scan of
    the bytes: GENOGRAM_IMPORT_MAX_BYTES, and GENOGRAM_IMPORT_MAX_PEOPLE people (INDI records) and
    as many families (FAM records; a family tree has fewer families than people)."""
    too_big = file_size_error(len(data))
    if too_big:
        raise ValidationError({"file": [too_big]})
    text = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16, with its byte order mark
        text = data.decode("utf-16", "replace").encode("utf-8")
    counts = {b"INDI": 0, b"FAM": 0}
    for match in _RECORD0.finditer(text):
        counts[match.group(1)] += 1
    limit = settings.GENOGRAM_IMPORT_MAX_PEOPLE
    if counts[b"INDI"] > limit:
        raise ValidationError(
            {"file": [f"The file holds {counts[b'INDI']:,} people; at most {limit:,} people can be imported at once."]}
        )
    if counts[b"FAM"] > limit:
        raise ValidationError(
            {"file": [f"The file holds {counts[b'FAM']:,} families; at most {limit:,} can be imported at once."]}
        )


def _read(data: bytes):
    """Parse the whole file first, so nothing is written for a file that fails to parse.

    The record limits are checked again while parsing: a file the byte scan miscounts still stops
    at the limit."""
    limit = settings.GENOGRAM_IMPORT_MAX_PEOPLE
    people = []
    families = []
    try:
        with GedcomReader(io.BytesIO(data)) as reader:
            for rec in reader.records0("INDI"):
                if len(people) >= limit:
                    raise ValidationError(
                        {"file": [f"The file holds more than {limit:,} people; at most {limit:,} can be imported."]}
                    )
                if rec.xref_id and len(rec.xref_id) > XREF_MAX_LENGTH:
                    raise ValidationError(
                        {
                            "file": [
                                f"Person {rec.xref_id[:XREF_MAX_LENGTH]}...: a record id may be at most "
                                f"{XREF_MAX_LENGTH} characters; this is {len(rec.xref_id):,}."
                            ]
                        }
                    )
                name = rec.name
                given = rec.sub_tag_value("NAME/GIVN") or (name.given if name else "") or ""
                surname = rec.sub_tag_value("NAME/SURN") or (name.surname if name else "") or ""
                aliases = [v for v in (rec.sub_tag_value("NAME/NICK"), rec.sub_tag_value("ALIA")) if v]
                people.append(
                    {
                        "xref": rec.xref_id,
                        "given_name": str(given).strip(),
                        "family_name": str(surname).strip(),
                        "known_as": ", ".join(str(a).strip() for a in aliases if isinstance(a, str)),
                        "sex": SEX_IN.get(str(rec.sex or "U").upper()[:1], "unknown"),
                        "birth": parse_date(rec.sub_tag_value("BIRT/DATE")),
                        "death": parse_date(rec.sub_tag_value("DEAT/DATE")),
                    }
                )
            for fam in reader.records0("FAM"):
                if len(families) >= limit:
                    raise ValidationError(
                        {"file": [f"The file holds more than {limit:,} families; at most {limit:,} can be imported."]}
                    )
                spouses = [_xref(t.value) for t in fam.sub_records if t.tag in ("HUSB", "WIFE") and t.value]
                children = [_xref(t.value) for t in fam.sub_records if t.tag == "CHIL" and t.value]
                families.append(
                    {
                        "xref": fam.xref_id,
                        "spouses": spouses,
                        "children": children,
                        "married": fam.sub_tag("MARR") is not None,
                        "marriage": parse_date(fam.sub_tag_value("MARR/DATE")),
                        "divorced": fam.sub_tag("DIV") is not None,
                        "divorce": parse_date(fam.sub_tag_value("DIV/DATE")),
                    }
                )
    except ParserError as exc:
        raise ValidationError({"file": [f"This is not a valid GEDCOM file: {exc}."]})
    except OSError as exc:
        raise ValidationError({"file": [f"This is not a valid GEDCOM file: {exc}."]})
    except (UnicodeError, LookupError) as exc:
        raise ValidationError({"file": [f"The file's text encoding could not be read: {exc}."]})
    except (AttributeError, ValueError, TypeError, KeyError) as exc:
        raise ValidationError({"file": [f"The GEDCOM file could not be read: {exc}."]})
    if not people:
        raise ValidationError({"file": ["The file holds no people (no INDI records)."]})
    return people, families


def _xref(value) -> str:
    """A pointer as its @X@ id: ged4py gives a string, or the record it points to."""
    return value if isinstance(value, str) else value.xref_id


def _check_case_room(case: Case, adding: int) -> None:
    """Inside the import's transaction: lock the case (imports into one case run one at a time) and
    refuse a file that would take the case past GENOGRAM_MAX_PEOPLE_PER_CASE."""
    limit = settings.GENOGRAM_MAX_PEOPLE_PER_CASE
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
    existing = Person.objects.filter(case=case).count()
    if existing + adding > limit:
        raise ValidationError(
            {
                "file": [
                    f"This case has {existing:,} people recorded and the file holds {adding:,}: a case may hold at "
                    f"most {limit:,} people."
                ]
            }
        )


def gedcom_import(*, acting_user: User, case: Case, data: bytes, filename: str = "") -> list[Person]:
    """Create the file's people and family links in the case: all of them, or none and a ValidationError.

    Every limit (file size, people and families per import, people per case) is checked before the
    first row is written. Names longer than a person record holds are refused, not shortened."""
    check_import_size(data)
    people, families = _read(data)
    created: dict[str, Person] = {}
    with transaction.atomic():
        _check_case_room(case, len(people))
        for row in people:
            fields = {
                "given_name": row["given_name"],
                "family_name": row["family_name"],
                "known_as": row["known_as"],
                "sex": row["sex"],
            }
            if not (fields["given_name"] or fields["family_name"] or fields["known_as"]):
                fields["known_as"] = f"Unnamed ({row['xref']})"
            if row["birth"]:
                fields["date_of_birth"] = row["birth"].value
                fields["date_of_birth_precision"] = row["birth"].precision
            if row["death"]:
                fields["date_of_death"] = row["death"].value
            try:
                person = chronology_services.person_create(acting_user=acting_user, case=case, **fields)
            except ValidationError as exc:
                raise ValidationError({"file": _person_errors(row["xref"], exc)})
            PersonGedcom.objects.create(
                person=person,
                xref=row["xref"] or "",
                date_of_death_precision=row["death"].precision if row["death"] else "day",
            )
            created[row["xref"]] = person
        for fam in families:
            try:
                _import_family(acting_user, case, fam, created)
            except ValidationError as exc:
                raise ValidationError({"file": [f"Family {fam['xref']}: {m}" for m in exc.messages]})
        audit_record(
            actor=acting_user,
            action="genogram.imported",
            case=case,
            detail={"filename": filename, "people": len(created), "families": len(families)},
        )
    return list(created.values())


def _person_errors(xref: str, exc: ValidationError) -> list[str]:
    """A person record's errors for the file field, each with the record id and the field it is about."""
    if not hasattr(exc, "error_dict"):
        return [f"Person {xref}: {m}" for m in exc.messages]
    messages = []
    for field, errors in exc.message_dict.items():
        where = "" if field == "__all__" else f" ({field.replace('_', ' ')})"
        messages += [f"Person {xref}{where}: {m}" for m in errors]
    return messages


def _import_family(acting_user: User, case: Case, fam: dict, created: dict[str, Person]) -> None:
    missing = [x for x in fam["spouses"] + fam["children"] if x not in created]
    if missing:
        raise ValidationError(f"refers to people not in the file: {', '.join(missing)}")
    spouses = [created[x] for x in fam["spouses"]]
    if len(spouses) == 2:
        a, b = spouses
        marriage = fam["marriage"].value if fam["marriage"] else None
        divorce = fam["divorce"].value if fam["divorce"] else None
        if fam["divorced"] and fam["married"]:
            if divorce and marriage and divorce <= marriage:
                divorce = None
            services.relationship_create(
                acting_user=acting_user,
                case=case,
                kind="married",
                from_person=a,
                to_person=b,
                start_date=marriage,
                end_date=divorce,
            )
            if divorce:
                services.relationship_create(
                    acting_user=acting_user, case=case, kind="divorced", from_person=a, to_person=b, start_date=divorce
                )
        elif fam["divorced"]:
            services.relationship_create(
                acting_user=acting_user, case=case, kind="divorced", from_person=a, to_person=b, start_date=divorce
            )
        elif fam["married"]:
            services.relationship_create(
                acting_user=acting_user, case=case, kind="married", from_person=a, to_person=b, start_date=marriage
            )
        else:
            services.relationship_create(acting_user=acting_user, case=case, kind="partner", from_person=a, to_person=b)
    for child_xref in fam["children"]:
        for parent in spouses:
            services.relationship_create(
                acting_user=acting_user,
                case=case,
                kind="biological_parent",
                from_person=parent,
                to_person=created[child_xref],
                start_date=created[child_xref].date_of_birth
                if created[child_xref].date_of_birth_precision == "day"
                else None,
            )


# --- export ---------------------------------------------------------------------------------


def gedcom_export(family: fg.Family, at: dt.date, death_precision: dict[int, str] | None = None) -> str:
    """The family as known on `at`, as GEDCOM 5.5.1 text."""
    death_precision = death_precision or {}
    people = [p for p in family.people if p.exists_on(at) and not p.is_unborn_on(at)]
    ids = {p.id for p in people}
    rels = [r for r in family.relationships if r.from_id in ids and r.to_id in ids and r.started_by(at)]
    parents_of: dict[int, set[int]] = {}
    for r in rels:
        if r.kind in fg.LINEAGE_KINDS:
            parents_of.setdefault(r.to_id, set()).add(r.from_id)
    couples: dict[frozenset[int], list[fg.RelationshipData]] = {}
    for r in rels:
        if r.kind in fg.PARTNERSHIP_KINDS:
            couples.setdefault(frozenset((r.from_id, r.to_id)), []).append(r)
    families: dict[frozenset[int], list[int]] = {key: [] for key in couples}
    for child, parent_ids in parents_of.items():
        families.setdefault(frozenset(parent_ids), []).append(child)
    fam_ids = {key: f"@F{n}@" for n, key in enumerate(sorted(families, key=lambda k: sorted(k)), start=1)}
    lines = [
        "0 HEAD",
        "1 SOUR SHARED-CHRONOLOGY",
        "2 NAME Shared chronology",
        f"1 DATE {format_date(at, 'day')}",
        "1 GEDC",
        "2 VERS 5.5.1",
        "2 FORM LINEAGE-LINKED",
        "1 CHAR UTF-8",
        "1 SUBM @SUBM1@",
        "0 @SUBM1@ SUBM",
        "1 NAME Shared chronology export",
    ]
    for person in sorted(people, key=lambda p: p.id):
        lines.append(f"0 @I{person.id}@ INDI")
        lines.append(f"1 NAME {_text(person.given_name)} /{_text(person.family_name)}/".replace("  ", " "))
        if person.given_name:
            lines.append(f"2 GIVN {_text(person.given_name)}")
        if person.family_name:
            lines.append(f"2 SURN {_text(person.family_name)}")
        if person.known_as:
            lines.append(f"2 NICK {_text(person.known_as)}")
        lines.append(f"1 SEX {SEX_OUT.get(person.sex, 'U')}")
        if person.date_of_birth:
            lines += ["1 BIRT", f"2 DATE {format_date(person.date_of_birth, person.date_of_birth_precision)}"]
        if person.date_of_death and person.date_of_death <= at:
            lines += ["1 DEAT", f"2 DATE {format_date(person.date_of_death, death_precision.get(person.id, 'day'))}"]
        for key, children in families.items():
            if person.id in children:
                lines.append(f"1 FAMC {fam_ids[key]}")
        for key in families:
            if person.id in key:
                lines.append(f"1 FAMS {fam_ids[key]}")
    for key, children in families.items():
        lines.append(f"0 {fam_ids[key]} FAM")
        spouses = sorted(key, key=lambda i: (family.by_id[i].sex != "male", family.by_id[i].sex != "female", i))
        for index, spouse in enumerate(spouses):
            if len(spouses) == 2:
                tag = "HUSB" if index == 0 else "WIFE"
            else:
                tag = "WIFE" if family.by_id[spouse].sex == "female" else "HUSB"
            lines.append(f"1 {tag} @I{spouse}@")
        records = sorted(couples.get(key, []), key=lambda r: (r.start_date or dt.date.min, r.id))
        married = [r for r in records if r.kind == "married"]
        divorced = [r for r in records if r.kind == "divorced"]
        if married:
            lines.append("1 MARR")
            if married[0].start_date:
                lines.append(f"2 DATE {format_date(married[0].start_date, _guess_precision(married[0].start_date))}")
        if divorced:
            lines.append("1 DIV")
            if divorced[0].start_date:
                lines.append(f"2 DATE {format_date(divorced[0].start_date, _guess_precision(divorced[0].start_date))}")
        for child in sorted(children, key=lambda i: fg._birth_key(family.by_id[i])):
            lines.append(f"1 CHIL @I{child}@")
    lines.append("0 TRLR")
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    """GEDCOM line values: no line breaks, no slashes inside a name part, and @ doubled."""
    return " ".join(value.replace("/", " ").replace("@", "@@").split())


def _guess_precision(value: dt.date) -> str:
    """Relationship dates keep no precision: 1 January is written as the year alone."""
    return "year" if (value.month, value.day) == (1, 1) else "day"
