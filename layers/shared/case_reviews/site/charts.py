"""Horizontal bar charts of counts, drawn by the server as SVG (no chart library, no script).

The geometry is worked out here; the template draws it (so every label is escaped by Jinja2). The chart
is a picture of the table beside it, which is what screen readers read: the SVG is `aria-hidden`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# The drawing's own units: the SVG scales to the width it is given (viewBox), so these are proportions.
WIDTH = 640
LABEL_WIDTH = 220
COUNT_WIDTH = 60
BAR_HEIGHT = 20
GAP = 8


class Counted(Protocol):
    label: str
    count: int


@dataclass(frozen=True)
class Bar:
    """One bar: its label and count, and where it is drawn."""

    label: str
    count: int
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    """The bars of a chart, with the size of the drawing."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_x: int
    bar_height: int


def bar_chart(counts: Sequence[Counted]) -> BarChart:
    """A bar per count, in the order given; the longest bar is the largest count, the others in proportion."""
    room = WIDTH - LABEL_WIDTH - COUNT_WIDTH
    largest = max((count.count for count in counts), default=0)
    bars = tuple(
        Bar(
            label=count.label,
            count=count.count,
            y=position * (BAR_HEIGHT + GAP),
            width=round(room * count.count / largest, 2) if largest else 0.0,
        )
        for position, count in enumerate(counts)
    )
    height = max(len(bars) * (BAR_HEIGHT + GAP) - GAP, 0)
    return BarChart(bars=bars, width=WIDTH, height=height, bar_x=LABEL_WIDTH, bar_height=BAR_HEIGHT)
