"""The timeline view: one lane per agency, drawn as server-side SVG (no image library, no script).

Significance is shown by shape and size as well as by colour (circle, larger circle, diamond),
with a text legend and a text title on every marker, so colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chronology.selectors import EntryView

LABEL_WIDTH = 230
PLOT_WIDTH = 820
LANE_HEIGHT = 44
TOP = 36


@dataclass
class Marker:
    x: float
    y: float
    shape: str  # "circle-small", "circle", "diamond", "square"
    title: str
    href: str
    retracted: bool
    highlight: bool

    @property
    def square_x(self) -> str:
        return f"{self.x - 6:.1f}"

    @property
    def square_y(self) -> str:
        return f"{self.y - 6:.1f}"

    @property
    def diamond_points(self) -> str:
        s = 9
        x, y = self.x, self.y
        return f"{x:.1f},{y - s:.1f} {x + s:.1f},{y:.1f} {x:.1f},{y + s:.1f} {x - s:.1f},{y:.1f}"


@dataclass
class Lane:
    name: str
    y: float
    count: int = 0


@dataclass
class Timeline:
    start: dt.date
    end: dt.date
    width: int
    height: int
    lanes: list[Lane] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    label_width: int = LABEL_WIDTH


def _month_ticks(start: dt.date, end: dt.date, x_of) -> list[tuple[float, str]]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = 1 if months <= 14 else 3 if months <= 40 else 6 if months <= 80 else 12
    ticks = []
    current = dt.date(start.year, start.month, 1)
    while current <= end:
        if current >= start and (current.month - 1) % step == 0:
            ticks.append((x_of(current), f"{current:%b %Y}"))
        current = dt.date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return ticks


def build_timeline(views: list[EntryView], href_for, start: dt.date, end: dt.date, highlight: set[int]) -> Timeline:
    if end <= start:
        end = start + dt.timedelta(days=1)
    span = (end - start).days

    def x_of(day: dt.date) -> float:
        return LABEL_WIDTH + 10 + (day - start).days / span * (PLOT_WIDTH - 20)

    lanes: dict[int, Lane] = {}
    for view in views:
        agency = view.entry.agency
        if agency.pk not in lanes:
            lanes[agency.pk] = Lane(name=agency.name, y=0)
    ordered = sorted(lanes.values(), key=lambda lane: lane.name)
    for index, lane in enumerate(ordered):
        lane.y = TOP + index * LANE_HEIGHT + LANE_HEIGHT / 2
    markers = []
    for view in views:
        e = view.entry
        lane = lanes[e.agency_id]
        lane.count += 1
        if view.masked:
            shape, title = "square", f"{view.date_display}: {view.placeholder}"
        else:
            shape = {"low": "circle-small", "medium": "circle", "high": "diamond"}[e.significance]
            title = (
                f"{view.date_display}, {e.agency.name}: {e.get_kind_display()}. {e.summary} "
                f"({e.get_significance_display().lower()} significance)"
                + (", retracted" if e.retracted else "")
                + (", amended" if e.amended else "")
            )
        markers.append(
            Marker(
                x=x_of(e.occurred_on),
                y=lane.y,
                shape=shape,
                title=title,
                href=href_for(e),
                retracted=e.retracted,
                highlight=e.pk in highlight,
            )
        )
    return Timeline(
        start=start,
        end=end,
        width=LABEL_WIDTH + PLOT_WIDTH,
        height=TOP + max(len(ordered), 1) * LANE_HEIGHT + 10,
        lanes=ordered,
        markers=markers,
        ticks=_month_ticks(start, end, x_of),
    )
