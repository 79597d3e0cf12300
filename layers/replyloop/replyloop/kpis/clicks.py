"""Sources of clicks on tracked FAQ links: unknown by default (Replyloop never sees a click), or a CSV export.

A web-analytics tool that records UTM parameters (GA4, Matomo, Plausible...) can export visits per day
and `utm_content`; the report then shows the links followed instead of "unknown". The CSV needs the
columns `date` (YYYY-MM-DD, local), `utm_content` (the FAQ id), `clicks`, and optionally
`utm_campaign` (rows of other campaigns than replyloop-faq are ignored).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from replyloop.models.kpis import Period

__all__ = ["UTM_CAMPAIGN", "CsvClicks", "UnknownClicks"]

UTM_CAMPAIGN = "replyloop-faq"  # what reactions/faq.py tags every FAQ link with


@dataclass(frozen=True)
class UnknownClicks:
    """No click source configured: the KPI is reported as unknown, never as zero."""

    name: str = "unknown: no click source configured"

    def clicks(self, period: Period, utm_contents: Sequence[str]) -> int | None:
        return None


@dataclass(frozen=True)
class CsvClicks:
    """Visits per day and utm_content from a web-analytics export."""

    path: Path
    rows: tuple[tuple[date, str, int], ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        return f"web analytics export {self.path.name}"

    @classmethod
    def read(cls, path: Path) -> CsvClicks:
        rows = []
        with path.open(encoding="utf-8", newline="") as file:
            for line, row in enumerate(csv.DictReader(file), start=2):
                if row.get("utm_campaign") not in (None, "", UTM_CAMPAIGN):
                    continue
                try:
                    rows.append((date.fromisoformat(row["date"]), row["utm_content"], int(row["clicks"])))
                except (KeyError, ValueError) as error:
                    raise ValueError(f"{path}:{line}: needs date, utm_content, clicks ({error})") from None
        return cls(path, tuple(rows))

    def clicks(self, period: Period, utm_contents: Sequence[str]) -> int | None:
        wanted = set(utm_contents)
        return sum(n for day, content, n in self.rows if day in period and content in wanted)
