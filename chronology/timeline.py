"""The timeline view: one lane per agency, drawn as server-side SVG (no image library, no script).

Significance is shown by shape and size as well as by colour (circle, larger circle, diamond),
with a text legend and a text title on every marker, so colour is never the only signal.

The parts, so that more can be drawn on the same axis (legal-status bands, meetings):
- `TimeWindow`: the period shown (from and to, both included), its zoom (whole months) and the
  windows before and after it;
- `TimeScale`: where a date falls across the plot (`x_of`) and the ticks of the date axis;
- `build_timeline`: lanes and markers for the entries; `Timeline.bands` is where shaded date
  ranges go (each a `Band`; the template draws them behind the lanes).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from chronology.selectors import EntryView

LABEL_WIDTH = 230
PLOT_WIDTH = 820
LANE_HEIGHT = 44
TOP = 36
PLOT_PADDING = 10

# Zoom levels, in months, with their button labels.
ZOOMS: tuple[tuple[int, str], ...] = ((12, "Year"), (6, "6 months"), (3, "3 months"), (1, "Month"))
DEFAULT_ZOOM_MONTHS = 12
# Month steps for the axis labels: the smallest giving at most MAX_TICKS labels.
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 600, 1200)
MAX_TICKS = 14


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(index: int) -> dt.date:
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


FIRST_MONTH = _month_index(dt.date.min)
LAST_MONTH = _month_index(dt.date.max)


@dataclass(frozen=True)
class TimeWindow:
    """The period a timeline shows, from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def months_ending(cls, last_day: dt.date, months: int) -> TimeWindow:
        """Whole months: the `months` months up to and including the month of `last_day`."""
        last = _month_index(last_day)
        first = max(last - months + 1, FIRST_MONTH)
        return cls(_month_start(first), _month_end(last))

    @classmethod
    def choose(
        cls, *, date_from: dt.date | None, date_to: dt.date | None, latest: dt.date | None, today: dt.date
    ) -> TimeWindow:
        """The window for the dates a user gave. None given: the year up to the latest entry (or
        today when there is none, or it is earlier), so the axis always reaches the last entries."""
        if date_from and date_to:
            return cls(date_from, date_to) if date_to >= date_from else cls(date_to, date_from)
        if date_to:
            return cls.months_ending(date_to, DEFAULT_ZOOM_MONTHS)._with_end(date_to)
        if date_from:
            end = max(filter(None, (latest, today)))
            return cls(date_from, _month_end(_month_index(max(end, date_from))))
        return cls.months_ending(max(filter(None, (latest, today))), DEFAULT_ZOOM_MONTHS)

    def _with_end(self, end: dt.date) -> TimeWindow:
        return TimeWindow(self.start, end)

    @property
    def months(self) -> int | None:
        """The number of whole months shown, or None when the window is not whole months."""
        if self.start.day != 1 or self.end != _month_end(_month_index(self.end)):
            return None
        return _month_index(self.end) - _month_index(self.start) + 1

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def length_label(self) -> str:
        months = self.months
        if months is not None:
            if months % 12 == 0:
                years = months // 12
                return f"{years} year{'s' if years != 1 else ''}"
            return f"{months} month{'s' if months != 1 else ''}"
        return f"{self.days} day{'s' if self.days != 1 else ''}"

    def shifted(self, direction: int) -> TimeWindow | None:
        """The window of the same length just before (-1) or after (+1) this one; None past the
        calendar's ends."""
        months = self.months
        if months is not None:
            first = _month_index(self.start) + direction * months
            last = _month_index(self.end) + direction * months
            if first < FIRST_MONTH or last > LAST_MONTH:
                return None
            return TimeWindow(_month_start(first), _month_end(last))
        try:
            step = dt.timedelta(days=self.days * direction)
            return TimeWindow(self.start + step, self.end + step)
        except OverflowError:
            return None

    def zoomed(self, months: int) -> TimeWindow:
        """`months` whole months ending with the month this window ends in."""
        return TimeWindow.months_ending(self.end, months)


@dataclass(frozen=True)
class TimeScale:
    """Dates across the plot: the window's first day at the left edge, the day after its last at
    the right edge, so entries on the last day are inside the plot."""

    window: TimeWindow
    left: float = LABEL_WIDTH + PLOT_PADDING
    width: float = PLOT_WIDTH - 2 * PLOT_PADDING

    @property
    def right(self) -> float:
        return self.left + self.width

    def x_of(self, day: dt.date) -> float:
        return self.left + (day - self.window.start).days / self.window.days * self.width

    def ticks(self) -> list[tuple[float, str]]:
        """(x, label) of the axis: weeks (Mondays) for two months or less, else month starts."""
        window = self.window
        if window.days <= 62:
            first = window.start + dt.timedelta(days=(7 - window.start.weekday()) % 7)
            ticks = []
            day = first
            while day <= window.end:
                ticks.append((self.x_of(day), f"{day.day} {day:%b}"))
                if day > dt.date.max - dt.timedelta(days=7):
                    break
                day += dt.timedelta(days=7)
            return ticks
        first, last = _month_index(window.start), _month_index(window.end)
        if window.start.day != 1:
            first += 1
        count = last - first + 1
        step = next((s for s in MONTH_STEPS if count / s <= MAX_TICKS), MONTH_STEPS[-1] * 10)
        # Labels on months that are multiples of the step (January for a year step), so the axis
        # reads the same whichever window it is.
        index = first + (-first) % step if step > 1 else first
        ticks = []
        while index <= last:
            day = _month_start(index)
            ticks.append((self.x_of(day), f"{day:%b %Y}" if step < 12 else f"{day:%Y}"))
            index += step
        return ticks


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
class Band:
    """A shaded date range behind the lanes (for example a legal status), with its label."""

    x: float
    width: float
    label: str
    css_class: str = "app-timeline-band"


@dataclass
class Timeline:
    start: dt.date
    end: dt.date
    width: int
    height: int
    lanes: list[Lane] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    label_width: int = LABEL_WIDTH
    plot_left: float = LABEL_WIDTH + PLOT_PADDING
    plot_right: float = LABEL_WIDTH + PLOT_WIDTH - PLOT_PADDING


def band_for(scale: TimeScale, start: dt.date, end: dt.date | None, label: str, css_class: str) -> Band | None:
    """A band from `start` up to, not including, `end` (None: still in force), clipped to the
    window; None when it falls outside."""
    window = scale.window
    first = max(start, window.start)
    if first > window.end or (end is not None and end <= first):
        return None
    x = scale.x_of(first)
    # The right edge is the day after the window's last (never computed as a date: 31 December 9999 has none).
    right = scale.x_of(end) if end is not None and end <= window.end else scale.right
    return Band(x=x, width=right - x, label=label, css_class=css_class)


def build_timeline(
    views: list[EntryView],
    href_for: Callable,
    window: TimeWindow,
    highlight: set[int],
) -> Timeline:
    scale = TimeScale(window)
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
                x=scale.x_of(e.occurred_on),
                y=lane.y,
                shape=shape,
                title=title,
                href=href_for(e),
                retracted=e.retracted,
                highlight=e.pk in highlight,
            )
        )
    return Timeline(
        start=window.start,
        end=window.end,
        width=LABEL_WIDTH + PLOT_WIDTH,
        height=TOP + max(len(ordered), 1) * LANE_HEIGHT + 10,
        lanes=ordered,
        markers=markers,
        ticks=scale.ticks(),
        plot_left=scale.left,
        plot_right=scale.right,
    )
