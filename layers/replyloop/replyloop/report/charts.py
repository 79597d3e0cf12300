"""The report's four charts as inline SVG markup, drawn in Python.

Response-time histogram, SLA share per week, comments by label per week and the ideas funnel; an empty
period gets a panel that says so instead of empty axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from replyloop.kpis.stats import duration_label
from replyloop.models.classification import LABELS
from replyloop.models.kpis import HistogramBin, IdeaFunnel, LabelWeek, SlaWeek, SpeedKpis
from replyloop.report.format import duration, percent, short_day
from replyloop.report.svg import INK, Plot, Svg, nice_ticks

__all__ = ["FULL", "HALF", "LABEL_COLOURS", "comments_by_label", "ideas_funnel", "response_histogram", "sla_by_week"]

HALF, FULL, HEIGHT = 510, 1066, 270  # viewBox widths close to the displayed ones, so text keeps its size
ACCENT = "#4f46e5"
GOOD = "#0f9d76"
LABEL_COLOURS = {
    "question": "#3b82f6",
    "complaint": "#f97316",
    "idea": "#8b5cf6",
    "praise": "#22c55e",
    "toxic": "#ef4444",
    "spam": "#9ca3af",
    "sensitive": "#ec4899",
    "other": "#cbd5e1",
}


def _empty(title: str, message: str, width: int) -> str:
    svg = Svg(width, 120, title)
    svg.rect(0.5, 0.5, width - 1, 119, "#f9fafb", rx=8)
    svg.text(width / 2, 64, message, size=13)
    return svg.render()


def _week_label(week_start: date, days: int) -> str:
    """'2 Nov', or '30 Nov (1 d)' for a week the period holds only part of."""
    label = short_day(week_start)
    return label if days == 7 else f"{label} ({days} d)"


def _marker_x(value: float, bins: Sequence[HistogramBin], plot: Plot) -> float:
    """Where a value falls on the histogram's axis: linear inside its bin, mid-bin in the open last one."""
    slot = plot.width / len(bins)
    lower = 0
    for index, item in enumerate(bins):
        if item.upper_seconds is None:
            return plot.x0 + slot * (index + 0.5)
        if value < item.upper_seconds:
            return plot.x0 + slot * (index + (value - lower) / (item.upper_seconds - lower))
        lower = item.upper_seconds
    return plot.x0 + plot.width


def response_histogram(speed: SpeedKpis, width: int = HALF) -> str:
    """Answered cases by wall-clock first-response time, with the median and p90 marked."""
    bins = speed.response_time_histogram
    title = "First-response time: answered cases by time to the first answer"
    if not bins:
        return _empty(title, "No case was answered in this period.", width)
    svg = Svg(width, HEIGHT, title)
    plot = Plot(svg, ticks=nice_ticks(max(b.count for b in bins)), top=36)
    plot.y_axis("cases")
    slot = plot.width / len(bins)
    for index, item in enumerate(bins):
        x = plot.x0 + slot * index
        top = plot.y(item.count)
        svg.rect(x + 3, top, slot - 6, plot.y0 - top, ACCENT, tip=f"{item.label}: {item.count}")
        if item.count:
            svg.text(x + slot / 2, top - 5, str(item.count), fill=INK, size=11, weight="600")
        if index:
            svg.text(x, plot.y0 + 16, duration_label(bins[index - 1].upper_seconds or 0), size=10)
    svg.text(plot.x0, plot.y0 + 16, "0", size=10)
    svg.text(plot.x0 + plot.width - slot / 2, plot.y0 + 16, "longer", size=10)
    svg.text(plot.x0 + plot.width / 2, plot.y0 + 36, "time to first response (wall clock)", size=11, fill=INK)
    for name, value, dash, anchor in (
        ("median", speed.first_response_median_seconds, "4 3", "end"),
        ("p90", speed.first_response_p90_seconds, "1 3", "start"),
    ):
        if value is None:
            continue
        x = _marker_x(value, bins, plot)
        svg.line(x, 16, x, plot.y0, INK, dash=dash)
        shift = -4 if anchor == "end" else 4
        svg.text(x + shift, 12, f"{name} {duration(value)}", anchor=anchor, size=10.5, fill=INK, weight="600")
    return svg.render()


def sla_by_week(weeks: Sequence[SlaWeek], width: int = HALF) -> str:
    """Share answered within the SLA per week (of the cases opened that week whose outcome is known)."""
    title = "Answered within the SLA, per week"
    if not any(w.settled for w in weeks):
        return _empty(title, "No case reached its deadline or an answer in this period.", width)
    svg = Svg(width, HEIGHT, title)
    plot = Plot(svg, ticks=[0, 0.25, 0.5, 0.75, 1.0])
    plot.y_axis("", "{:.0%}")
    slot = plot.width / len(weeks)
    bar = min(slot * 0.56, 64)
    for index, week in enumerate(weeks):
        centre = plot.x0 + slot * (index + 0.5)
        svg.rect(centre - bar / 2, plot.y(1), bar, plot.height, "#f3f4f6")
        if week.share is not None:
            top = plot.y(week.share)
            tip = f"{week.within_sla} of {week.settled} within the SLA"
            svg.rect(centre - bar / 2, top, bar, plot.y0 - top, GOOD, tip=tip)
            inside = week.share >= 0.93  # no room above the bar: write the share on it, in white
            svg.text(
                centre,
                top + 14 if inside else top - 5,
                percent(week.share),
                fill="#fff" if inside else INK,
                weight="600",
            )
        svg.text(centre, plot.y0 + 16, _week_label(week.week_start, week.days), size=10)
        svg.text(centre, plot.y0 + 30, f"{week.settled} cases" if week.settled else "no cases", size=9.5)
    return svg.render()


def comments_by_label(weeks: Sequence[LabelWeek], width: int = FULL) -> str:
    """Comments per week, stacked by label, with a legend of the labels that occur."""
    title = "Comments per week by label"
    if not any(w.total for w in weeks):
        return _empty(title, "No comment was recorded in this period.", width)
    present = [label for label in LABELS if any(w.counts.get(label) for w in weeks)]
    svg = Svg(width, HEIGHT + 24, title)
    plot = Plot(svg, ticks=nice_ticks(max(w.total for w in weeks)), top=42)
    plot.y_axis("comments")
    slot = plot.width / len(weeks)
    bar = min(slot * 0.56, 64)
    for index, week in enumerate(weeks):
        centre, base = plot.x0 + slot * (index + 0.5), 0
        for label in present:
            n = week.counts.get(label, 0)
            if n:
                top = plot.y(base + n)
                svg.rect(
                    centre - bar / 2, top, bar, plot.y(base) - top, LABEL_COLOURS[label], tip=f"{label}: {n}", rx=0
                )
                base += n
        if week.total:
            svg.text(centre, plot.y(week.total) - 5, str(week.total), fill=INK, weight="600")
        svg.text(centre, plot.y0 + 16, _week_label(week.week_start, week.days), size=10)
    x = plot.x0
    for label in present:  # the legend, in one row above the plot
        svg.rect(x, 8, 10, 10, LABEL_COLOURS[label], rx=2)
        svg.text(x + 14, 17, label, anchor="start", size=10.5, fill=INK)
        x += 22 + 6.2 * len(label)
    return svg.render()


def ideas_funnel(funnel: IdeaFunnel, width: int = HALF) -> str:
    """Ideas first asked in the period and how far they have got: received -> accepted -> planned -> shipped."""
    title = "Ideas funnel: ideas received in the period and the status they have reached"
    if not funnel.received:
        return _empty(title, "No new idea was received in this period.", width)
    stages = [("received", funnel.received), ("accepted", funnel.accepted), ("planned", funnel.planned)]
    stages.append(("shipped", funnel.shipped))
    row, label_width, right = 50, 78, 86
    svg = Svg(width, 30 + row * len(stages), title)
    full = width - label_width - right
    shades = ("#c7d2fe", "#a5b4fc", "#818cf8", ACCENT)
    for index, ((stage, n), shade) in enumerate(zip(stages, shades, strict=True)):
        y, middle = 6 + row * index, 6 + row * index + (row - 12) / 2 + 4
        bar = full * n / funnel.received
        svg.rect(label_width, y, full, row - 12, "#f5f5fa", rx=6)
        svg.rect(label_width + (full - bar) / 2, y, bar, row - 12, shade, tip=f"{stage}: {n}", rx=6)
        svg.text(label_width - 10, middle, stage, anchor="end", size=12, fill=INK)
        share = "" if index == 0 else f" ({percent(n / funnel.received)})"
        svg.text(width - right + 10, middle, f"{n}{share}", anchor="start", size=12, fill=INK, weight="600")
    note = "percentages: of the ideas received" + (f"; {funnel.declined} declined" if funnel.declined else "")
    svg.text(label_width, 20 + row * len(stages), note, anchor="start", size=10.5)
    return svg.render()
