"""A few SVG primitives for charts drawn in Python: shapes, text, a plot area with a y axis and nice ticks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

__all__ = ["INK", "MUTED", "RULE", "Plot", "Svg", "nice_ticks"]

INK = "#1f2937"
MUTED = "#6b7280"
RULE = "#e5e7eb"
FONT = 'font-family="inherit"'


def _n(value: float) -> str:
    """Coordinates with at most one decimal, so the markup stays small and stable."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class Svg:
    """An inline <svg> with a viewBox (it scales with the page) and an accessible title."""

    width: int
    height: int
    title: str
    parts: list[str] = field(default_factory=list)

    def rect(self, x: float, y: float, w: float, h: float, fill: str, *, tip: str | None = None, rx: int = 2) -> None:
        body = f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" rx="{rx}" fill="{fill}"'
        self.parts.append(f"{body}><title>{escape(tip)}</title></rect>" if tip else f"{body}/>")

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = RULE, *, dash: str | None = None) -> None:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        ends = f'x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"'
        self.parts.append(f'<line {ends} stroke="{stroke}" stroke-width="1"{dashed}/>')

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        size: float = 11,
        anchor: str = "middle",
        fill: str = MUTED,
        weight: str | None = None,
    ) -> None:
        bold = f' font-weight="{weight}"' if weight else ""
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" fill="{fill}"{bold}>'
            f"{escape(content)}</text>"
        )

    def render(self) -> str:
        label = escape(self.title, quote=True)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-label="{label}" {FONT}><title>{escape(self.title)}</title>' + "".join(self.parts) + "</svg>"
        )


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """0 and round steps (1, 2, 2.5 or 5 x 10^n) up to the first tick at or above `maximum`."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


@dataclass
class Plot:
    """The plot area of a chart: margins for the axes, a y scale from 0 to the top tick, gridlines and labels."""

    svg: Svg
    left: int = 44
    right: int = 12
    top: int = 18
    bottom: int = 44
    ticks: list[float] = field(default_factory=lambda: [0.0, 1.0])

    @property
    def x0(self) -> float:
        return self.left

    @property
    def width(self) -> float:
        return self.svg.width - self.left - self.right

    @property
    def y0(self) -> float:
        """The baseline (y of the value 0)."""
        return self.svg.height - self.bottom

    @property
    def height(self) -> float:
        return self.svg.height - self.top - self.bottom

    def y(self, value: float) -> float:
        return self.y0 - self.height * value / (self.ticks[-1] or 1)

    def y_axis(self, label: str, fmt: str = "{:g}") -> None:
        for tick in self.ticks:
            y = self.y(tick)
            self.svg.line(self.x0, y, self.x0 + self.width, y, RULE if tick else MUTED)
            self.svg.text(self.x0 - 6, y + 4, fmt.format(tick), anchor="end", size=10)
        if label:
            self.svg.text(4, self.top - 12, label, anchor="start", size=10)
