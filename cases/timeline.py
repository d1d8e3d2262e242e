"""The case's legal status and closures as shaded bands behind the timeline's agency lanes.

Each band carries its label (drawn as the band's SVG title) and a pattern as well as a colour, so
the status is never told by colour alone."""

from __future__ import annotations

from cases import selectors
from cases.models import Case
from cases.services import say_day, status_words
from chronology.timeline import Band, TimeScale, TimeWindow, band_for

BAND_CLASSES = {
    "early_help": "app-timeline-band app-timeline-band--early-help",
    "child_in_need": "app-timeline-band app-timeline-band--child-in-need",
    "child_protection": "app-timeline-band app-timeline-band--child-protection",
    "looked_after": "app-timeline-band app-timeline-band--looked-after",
}
CLOSED_CLASS = "app-timeline-band app-timeline-band--closed"


def status_bands(case: Case, window: TimeWindow) -> list[Band]:
    """Bands for the legal status over time, and on top of them the periods the case was closed."""
    scale = TimeScale(window)
    bands: list[Band] = []
    for row in selectors.case_status_history(case):
        until = f" until {say_day(row.effective_to)}" if row.effective_to else ""
        label = f"{status_words(row.legal_status, row.protection_category).capitalize()} from " + (
            f"{say_day(row.effective_from)}{until}"
        )
        band = band_for(scale, row.effective_from, row.effective_to, label, BAND_CLASSES.get(row.legal_status, ""))
        if band is not None:
            bands.append(band)
    for closure in selectors.case_closures(case):
        reopened = f" until {say_day(closure.reopened_on)}" if closure.reopened_on else ""
        label = f"Case closed from {say_day(closure.closed_on)}{reopened} ({closure.get_outcome_display().lower()})"
        band = band_for(scale, closure.closed_on, closure.reopened_on, label, CLOSED_CLASS)
        if band is not None:
            bands.append(band)
    return bands
