"""Routing the genogram's relationship layer over a family layout that is already fixed.

Emotional and carer lines are drawn after the family has been laid out (genogram_drawing), so
they can never move it. Each line is found on a grid over the drawing with A*: names, dates,
household labels and symbols are walls (a line may leave and enter only its own two symbols),
family lines cost extra to run along, and a line already drawn costs a little more, so lines
spread out. The cell path is then pulled straight wherever a straight segment stays clear of every
wall. Pure geometry in points (y grows upwards, as in Graphviz), no Graphviz call.

The work is bounded: a grid has at most MAX_CELLS cells (the cell grows for big drawings), a
search looks first in a window around its two ends and opens at most MAX_EXPANSIONS cells, and one
drawing's searches open at most `budget` cells in all (settings.GENOGRAM_ROUTING_BUDGET); past it
the remaining lines are drawn straight.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 with x0 <= x1 and y0 <= y1

MAX_CELLS = 400_000
MAX_EXPANSIONS = 60_000  # cells one search may open before it gives up
GREED = 2.0  # weight on the distance still to go: near-shortest paths, found much faster
WALL_PAD = 4.5  # points kept clear round a wall (a triple line is 4 points wide)
BUCKET = 120.0
SQRT2 = math.sqrt(2)


def inflate(rect: Rect, by: float) -> Rect:
    return (rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by)


def rects_overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def length_inside(p: Point, q: Point, rect: Rect) -> float:
    """How much of the segment p-q lies inside rect (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = rect
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return 0.0
            continue
        t = qk / pk
        if pk < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return 0.0
    return (t1 - t0) * math.hypot(dx, dy)


def polyline_length(points: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in zip(points, points[1:], strict=False))


def point_along(points: list[Point], fraction: float) -> tuple[Point, Point]:
    """The point at `fraction` of the polyline's length, and the direction of its segment there."""
    target = polyline_length(points) * fraction
    for a, b in zip(points, points[1:], strict=False):
        step = math.dist(a, b)
        if step and target <= step:
            t = target / step
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t), ((b[0] - a[0]) / step, (b[1] - a[1]) / step)
        target -= step
    a, b = points[-2], points[-1]
    step = math.dist(a, b) or 1.0
    return b, ((b[0] - a[0]) / step, (b[1] - a[1]) / step)


@dataclass
class _Index:
    """Rectangles bucketed on a coarse grid, for quick 'what is near this segment' questions."""

    rects: list[Rect] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    buckets: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def add(self, rect: Rect, owner: str = "") -> None:
        index = len(self.rects)
        self.rects.append(rect)
        self.owners.append(owner)
        for key in self._keys(rect):
            self.buckets.setdefault(key, []).append(index)

    @staticmethod
    def _keys(rect: Rect) -> Iterable[tuple[int, int]]:
        for bx in range(math.floor(rect[0] / BUCKET), math.floor(rect[2] / BUCKET) + 1):
            for by in range(math.floor(rect[1] / BUCKET), math.floor(rect[3] / BUCKET) + 1):
                yield bx, by

    def near(self, rect: Rect) -> set[int]:
        found: set[int] = set()
        for key in self._keys(rect):
            found.update(self.buckets.get(key, ()))
        return found


class Router:
    def __init__(self, bounds: Rect, cell: float = 7.0, budget: int = 500_000) -> None:
        self.budget = budget
        width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
        while (width / cell + 1) * (height / cell + 1) > MAX_CELLS:
            cell *= 1.25
        self.cell = cell
        self.x0, self.y0 = bounds[0], bounds[1]
        self.nx = max(2, math.ceil(width / cell) + 1)
        self.ny = max(2, math.ceil(height / cell) + 1)
        self.blocked = bytearray(self.nx * self.ny)  # 1 where a wall covers a cell
        self.cost = [0.0] * (self.nx * self.ny)  # extra cost of passing through a cell
        self.walls = _Index()
        self.soft = _Index()  # family lines: a relationship line may cross them but not run along them
        self.lines: list[list[Point]] = []  # relationship lines drawn so far

    # --- the grid ------------------------------------------------------------------------------

    def _cells(self, rect: Rect) -> Iterable[int]:
        c = self.cell
        i0 = max(0, math.ceil((rect[0] - self.x0) / c))
        i1 = min(self.nx - 1, math.floor((rect[2] - self.x0) / c))
        j0 = max(0, math.ceil((rect[1] - self.y0) / c))
        j1 = min(self.ny - 1, math.floor((rect[3] - self.y0) / c))
        for j in range(j0, j1 + 1):
            row = j * self.nx
            for i in range(i0, i1 + 1):
                yield row + i

    def _cell_of(self, p: Point) -> int:
        i = min(self.nx - 1, max(0, round((p[0] - self.x0) / self.cell)))
        j = min(self.ny - 1, max(0, round((p[1] - self.y0) / self.cell)))
        return j * self.nx + i

    def _centre(self, index: int) -> Point:
        j, i = divmod(index, self.nx)
        return self.x0 + i * self.cell, self.y0 + j * self.cell

    def add_wall(self, rect: Rect, owner: str = "") -> None:
        """Something no relationship line may cross (a name, a symbol, a household label)."""
        self.walls.add(rect, owner)
        for index in self._cells(inflate(rect, WALL_PAD + self.cell / 2)):
            self.blocked[index] = 1

    def add_family_line(self, points: list[Point]) -> None:
        for a, b in zip(points, points[1:], strict=False):
            rect = (min(a[0], b[0]) - 3, min(a[1], b[1]) - 3, max(a[0], b[0]) + 3, max(a[1], b[1]) + 3)
            self.soft.add(rect)
            for index in self._cells(inflate(rect, self.cell)):
                self.cost[index] += 4.0

    def add_line(self, points: list[Point]) -> None:
        self.lines.append(points)
        for a, b in zip(points, points[1:], strict=False):
            rect = (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
            for index in self._cells(inflate(rect, self.cell / 2)):
                self.cost[index] += 1.5

    # --- questions -----------------------------------------------------------------------------

    def segment_clear(self, p: Point, q: Point, own: frozenset[str]) -> bool:
        """No wall crossed (except the two ends' own symbols) and no family line run along."""
        box = (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        for index in self.walls.near(inflate(box, WALL_PAD)):
            if self.walls.owners[index] in own:
                continue
            if length_inside(p, q, inflate(self.walls.rects[index], WALL_PAD - 0.5)) > 0:
                return False
        return all(length_inside(p, q, self.soft.rects[index]) <= 8 for index in self.soft.near(inflate(box, 2)))

    def box_free(self, rect: Rect, *, strict: bool) -> bool:
        """A place for a line's word: clear of walls, of relationship lines and (strict) of family lines."""
        if self.walls.near(rect) and any(rects_overlap(rect, self.walls.rects[i]) for i in self.walls.near(rect)):
            return False
        for line in self.lines:
            for a, b in zip(line, line[1:], strict=False):
                if length_inside(a, b, rect) > 0:
                    return False
        if strict:
            near = self.soft.near(rect)
            if any(rects_overlap(rect, self.soft.rects[i]) for i in near):
                return False
        return True

    # --- routing -------------------------------------------------------------------------------

    def route(self, a: Point, b: Point, own: frozenset[str], own_rects: list[Rect]) -> list[Point]:
        """A path from a to b (the centres of two symbols, whose walls are `own`)."""
        opened: set[int] = set()
        for rect in own_rects:
            # the symbol and the ring of cells its own wall blocks round it
            for index in self._cells(inflate(rect, WALL_PAD + self.cell * 1.5)):
                cx, cy = self._centre(index)
                blocked = any(
                    self.walls.owners[i] not in own
                    and rects_overlap((cx, cy, cx, cy), inflate(self.walls.rects[i], WALL_PAD + self.cell / 2))
                    for i in self.walls.near((cx, cy, cx, cy))
                )
                if not blocked:
                    opened.add(index)
        if self.budget <= 0:
            return [a, b]
        start, goal = self._cell_of(a), self._cell_of(b)
        opened |= {start, goal}
        margin = 160.0
        window = (
            min(a[0], b[0]) - margin,
            min(a[1], b[1]) - margin,
            max(a[0], b[0]) + margin,
            max(a[1], b[1]) + margin,
        )
        cells = self._search(start, goal, opened, window) or self._search(start, goal, opened, inflate(window, 400))
        if cells is None:
            return [a, b]
        points = [a] + [self._centre(i) for i in cells[1:-1]] + [b]
        return self._pull_straight(points, own)

    def _search(self, start: int, goal: int, opened: set[int], window: Rect | None) -> list[int] | None:
        nx = self.nx
        if window is None:
            i_lo, j_lo, i_hi, j_hi = 0, 0, nx - 1, self.ny - 1
        else:
            i_lo = max(0, math.floor((window[0] - self.x0) / self.cell))
            j_lo = max(0, math.floor((window[1] - self.y0) / self.cell))
            i_hi = min(nx - 1, math.ceil((window[2] - self.x0) / self.cell))
            j_hi = min(self.ny - 1, math.ceil((window[3] - self.y0) / self.cell))
        gj, gi = divmod(goal, nx)
        blocked = bytearray(self.blocked)
        for index in opened:
            blocked[index] = 0
        cost = self.cost
        best: dict[int, float] = {start: 0.0}
        came: dict[int, int] = {}
        heap = [(0.0, 0.0, start)]
        straight = ((1, 0), (-1, 0), (0, 1), (0, -1))
        diagonal = ((1, 1), (1, -1), (-1, 1), (-1, -1))
        expansions = 0
        limit = min(MAX_EXPANSIONS, self.budget)
        while heap and expansions < limit:
            expansions += 1
            self.budget -= 1
            _, g, current = heapq.heappop(heap)
            if current == goal:
                path = [current]
                while current in came:
                    current = came[current]
                    path.append(current)
                return path[::-1]
            if g > best[current]:
                continue
            j, i = divmod(current, nx)
            for di, dj in straight + diagonal:
                ni, nj = i + di, j + dj
                if ni < i_lo or ni > i_hi or nj < j_lo or nj > j_hi:
                    continue
                nxt = nj * nx + ni
                if blocked[nxt]:
                    continue
                if di and dj:
                    if blocked[j * nx + ni] or blocked[nj * nx + i]:
                        continue
                    w = SQRT2
                else:
                    w = 1.0
                ng = g + w * (1.0 + cost[nxt])
                if ng < best.get(nxt, math.inf):
                    best[nxt] = ng
                    came[nxt] = current
                    dx, dy = abs(ni - gi), abs(nj - gj)
                    heapq.heappush(heap, (ng + GREED * (dx + dy + (SQRT2 - 2) * min(dx, dy)), ng, nxt))
        return None

    def _pull_straight(self, points: list[Point], own: frozenset[str]) -> list[Point]:
        raw = points
        # keep only the cells where the path turns, then shortcut wherever a segment is clear
        turns = [points[0]]
        for k in range(1, len(points) - 1):
            a, b, c = turns[-1], points[k], points[k + 1]
            if abs((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])) > 1e-6:
                turns.append(b)
        turns.append(points[-1])
        points = turns
        result = [points[0]]
        i = 0
        while i < len(points) - 1:
            j = i + 1
            while j + 1 < len(points) and self.segment_clear(points[i], points[j + 1], own):
                j += 1
            result.append(points[j])
            i = j
        if all(self.segment_clear(p, q, own) for p, q in zip(result, result[1:], strict=False)):
            return result
        return raw  # a stretch could not be pulled straight: keep the cell path, which touches no wall
