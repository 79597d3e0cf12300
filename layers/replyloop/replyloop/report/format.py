"""How the report writes numbers: durations people read at a glance, percentages, counts and the period."""

from __future__ import annotations

from datetime import date

from replyloop.models.kpis import Period

__all__ = ["count", "days", "duration", "percent", "period_title", "short_day"]

DASH = "\u2013"  # an en dash: "no value", and ranges


def duration(seconds: float | None) -> str:
    """42 -> '42 s', 200 -> '3 min', 4320 -> '1 h 12 min', 190000 -> '2 d 4 h'; None -> an en dash."""
    if seconds is None:
        return DASH
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{round(whole / 60)} min"
    if whole < 86400:
        hours, minutes = divmod(round(whole / 60), 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    day_count, hours = divmod(round(whole / 3600), 24)
    return f"{day_count} d {hours} h" if hours else f"{day_count} d"


def percent(value: float | None) -> str:
    """0.783 -> '78%'; shares under 10% keep one decimal ('4.5%', '3.0%'); None -> an en dash."""
    if value is None:
        return DASH
    scaled = value * 100
    return f"{scaled:.1f}%" if 0 < scaled < 9.95 else f"{round(scaled)}%"


def count(value: int | float | None) -> str:
    """Thin-space thousands ('12 345'), one decimal for non-whole numbers; None -> 'unknown'."""
    if value is None:
        return "unknown"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u202f")
    return f"{int(value):,}".replace(",", "\u202f")


def days(value: float | None) -> str:
    if value is None:
        return DASH
    if value == 1:
        return "1 day"
    return f"{value:.0f} days" if value >= 10 else f"{value:.1f} days"


def short_day(day: date) -> str:
    """'2 Nov'."""
    return f"{day.day} {day:%b}"


def period_title(period: Period) -> str:
    """'November 2026' for a calendar month, else '16 - 22 Nov 2026' / '28 Dec 2025 - 3 Jan 2026' (en dashes)."""
    if period.label == period.start.strftime("%Y-%m"):
        return period.start.strftime("%B %Y")
    if period.start.year == period.end.year:
        return f"{short_day(period.start)} {DASH} {short_day(period.end)} {period.end.year}"
    return f"{short_day(period.start)} {period.start.year} {DASH} {short_day(period.end)} {period.end.year}"
