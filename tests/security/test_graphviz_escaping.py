"""Graphviz label injection: recorded text reaches the genogram and ecomap as literal text.

A DOT label that starts with "<" and ends with ">" is an HTML-like label: a household called
`<<TABLE HREF="...">...>>` would put a working link into the drawing, and markup that is not
valid HTML-like markup makes dot fail, so the case's drawing would fail for good. The family
below holds hostile text in every text field the drawings show; it must be drawn (real dot),
show the text exactly as typed, and carry no link except the service's own person links.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import graphviz
import pytest
from django.urls import reverse

from genogram import services
from genogram.graphviz import dot_text, dot_url
from tests.factories import PersonFactory

AT = dt.date(2026, 6, 1)
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"

HOUSEHOLD_LABEL = '<<TABLE HREF="https://evil.example/login"><TR><TD>Sign in again</TD></TR></TABLE>>'
SCRIPT_NAME = "<script>alert(1)</script>\"'&"
BOLD_FAMILY_NAME = "<b>bold</b>"
ODD = "Back\\slash \\N \\G \\l {brace} }{ \"quote\" 'apos' & &amp; &lt;x&gt; <i>x</i>"
ADDRESS = '1 <a href="https://evil.example">Road</a>\nSecond line & {more}'
RESOURCE = '<<FONT POINT-SIZE="40"><A HREF="https://evil.example">Clinic</A></FONT>>'
LINK_NOTE = "Note with <b>tags</b>\n\\ and & and {braces}"


def _hostile_family(case, users):
    """Every text field the drawings show holds quotes, angle brackets, ampersands, backslashes,
    braces, newlines and HTML-like markup. Names are synthetic."""
    nameless_dob = PersonFactory(
        case=case,
        given_name=SCRIPT_NAME,
        family_name=BOLD_FAMILY_NAME,
        date_of_birth=None,
        sex="female",
        is_subject=True,
    )
    odd = PersonFactory(
        case=case,
        given_name=ODD,
        family_name="{Braces}\nNewline",
        known_as='<<B>"alias"</B>>',
        date_of_birth=dt.date(1990, 1, 1),
        sex="male",
    )
    elsewhere = PersonFactory(
        case=case, given_name="<Away>", family_name='"Quoted" & \\', date_of_birth=dt.date(1960, 2, 2), sex="unknown"
    )
    home = services.household_create(acting_user=users.sw, case=case, label=HOUSEHOLD_LABEL, address=ADDRESS)
    for person in (nameless_dob, odd):
        services.household_member_add(
            acting_user=users.sw, household=home, person=person, from_date=dt.date(2020, 1, 1)
        )
    services.relationship_create(
        acting_user=users.sw,
        case=case,
        kind="cohabiting",
        from_person=odd,
        to_person=elsewhere,
        start_date=dt.date(2015, 1, 1),
        note="<<I>note</I>> & \\N {x}",
    )
    services.relationship_create(acting_user=users.sw, case=case, kind="conflict", from_person=odd, to_person=elsewhere)
    services.ecomap_link_create(
        acting_user=users.sw, case=case, household=home, resource_name=RESOURCE, strength="strong", note=LINK_NOTE
    )
    services.ecomap_link_create(
        acting_user=users.sw, case=case, person=odd, resource_name=ODD, strength="stressful", direction="both"
    )
    services.ecomap_link_create(
        acting_user=users.sw, case=case, person=elsewhere, resource_name="<<HR/>>", strength="tenuous"
    )
    return nameless_dob, odd, elsewhere


def _parse(svg: str) -> ET.Element:
    """The SVG must be well-formed XML: one stray "&" or "<" from user text would break it."""
    return ET.fromstring(re.sub(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>)?", "", svg.strip()))  # noqa: S314 - our own dot output


def _texts(root: ET.Element) -> list[str]:
    """Everything a reader sees: the text lines and the tooltips."""
    texts = ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]
    texts += [el.get(XLINK_TITLE) for el in root.iter() if el.get(XLINK_TITLE)]
    return texts


def _hrefs(root: ET.Element) -> list[str]:
    return [v for el in root.iter() for k, v in el.attrib.items() if k in (XLINK_HREF, "href")]


def _svg_tags(root: ET.Element) -> set[str]:
    return {el.tag.rsplit("}", 1)[-1] for el in root.iter()}


DRAWN_TAGS = {"svg", "g", "title", "polygon", "polyline", "ellipse", "path", "text", "a"}


@pytest.mark.django_db
def test_hostile_text_in_every_field_is_drawn_literally_through_the_api(case, users, api_as):
    _hostile_family(case, users)
    api = api_as(users.hv)

    genogram = api.get(f"/api/v1/cases/{case.pk}/genogram.svg?at={AT}")
    assert genogram.status_code == 200, genogram.content[:500]
    root = _parse(genogram.content.decode())
    texts = _texts(root)
    assert HOUSEHOLD_LABEL in texts  # the cluster label, as typed
    assert f"{SCRIPT_NAME} {BOLD_FAMILY_NAME}" in texts  # the tooltip of the person without a birth date
    assert any(SCRIPT_NAME in t for t in texts)
    assert _hrefs(root) == []  # the API drawing has no person links at all
    assert _svg_tags(root) <= DRAWN_TAGS

    ecomap = api.get(f"/api/v1/cases/{case.pk}/ecomap.svg?at={AT}")
    assert ecomap.status_code == 200, ecomap.content[:500]
    root = _parse(ecomap.content.decode())
    texts = _texts(root)
    assert HOUSEHOLD_LABEL in texts  # first line of the household in the middle
    assert RESOURCE in texts
    assert ODD in texts
    assert "<<HR/>>" in texts
    assert _hrefs(root) == []
    assert _svg_tags(root) <= DRAWN_TAGS

    png = api.get(f"/api/v1/cases/{case.pk}/genogram.png?at={AT}")
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_family_page_shows_hostile_text_literally_with_only_person_links(case, users, web_as):
    people = _hostile_family(case, users)
    response = web_as(users.sw).get(f"/cases/{case.pk}/family/?at={AT}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "The drawing could not be made" not in body
    svgs = re.findall(r"<svg\b.*?</svg>", body, flags=re.DOTALL)
    assert len(svgs) == 2
    person_links = {f"{reverse('chronology', args=[case.pk])}?person={p.pk}" for p in people}
    for svg in svgs:
        root = _parse(svg)
        assert set(_hrefs(root)) <= person_links
        assert _svg_tags(root) <= DRAWN_TAGS
    genogram, ecomap = (_parse(svg) for svg in svgs)
    assert set(_hrefs(genogram)) == person_links  # every person is a link to their chronology
    assert HOUSEHOLD_LABEL in _texts(genogram)
    assert HOUSEHOLD_LABEL in _texts(ecomap)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert not re.search(r"""(?:xlink:)?href\s*=\s*["']https://evil""", body, flags=re.IGNORECASE)


@pytest.mark.django_db
def test_name_that_looks_like_markup_no_longer_breaks_the_genogram_for_good(case, users, api_as):
    """The issue's case: no date of birth, so the name is the whole caption under the symbol."""
    PersonFactory(case=case, given_name=SCRIPT_NAME, family_name=BOLD_FAMILY_NAME, date_of_birth=None)
    response = api_as(users.sw).get(f"/api/v1/cases/{case.pk}/genogram.svg?at={AT}")
    assert response.status_code == 200, response.content[:500]
    texts = _texts(_parse(response.content.decode()))
    assert f"{SCRIPT_NAME} {BOLD_FAMILY_NAME}" in texts


# --- the helper every label, tooltip and link goes through (no database) -----------------------


@pytest.mark.parametrize(
    "text",
    [HOUSEHOLD_LABEL, "<b>bold</b>", "<>", '<"a" & \\b>', "node", "<\\>"],
)
def test_dot_text_is_never_an_html_like_label_even_when_joined(text):
    for value in (dot_text(text), dot_text(text, text), dot_text(text, end="\\l")):
        g = graphviz.Graph()
        g.node("a", label=value)
        assert 'label="' in g.source  # quoted: a DOT string, never <...>


def test_dot_text_shows_backslash_escapes_and_entities_literally():
    assert dot_text("\\N & &lt;") == "\\\\N &amp; &amp;lt;"
    assert dot_text("one\ntwo", "three") == "one two\\nthree"


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/a\\b", "/a\nb", "x"]
)
def test_drawings_link_only_to_the_service(url):
    with pytest.raises(ValueError, match="own pages"):
        dot_url(url)


@pytest.mark.django_db
def test_household_label_joined_with_names_never_becomes_a_link_in_the_ecomap(case, users, api_as):
    """The label starts with "<" and the last name in the middle of the ecomap ends with ">": joined,
    they once made one HTML-like label, a table whose HREF was a working link in ecomap.svg."""
    child = PersonFactory(
        case=case, given_name="</TD></TR></TABLE>>", family_name="", is_subject=True, date_of_birth=dt.date(2020, 1, 1)
    )
    label = '<<TABLE HREF="https://evil.example/login"><TR><TD>Sign in again'
    home = services.household_create(acting_user=users.sw, case=case, label=label)
    services.household_member_add(acting_user=users.sw, household=home, person=child, from_date=dt.date(2020, 1, 1))
    response = api_as(users.sw).get(f"/api/v1/cases/{case.pk}/ecomap.svg?at={AT}")
    assert response.status_code == 200, response.content[:500]
    root = _parse(response.content.decode())
    assert _hrefs(root) == []
    assert label in _texts(root)
    assert "</TD></TR></TABLE>>" in _texts(root)
