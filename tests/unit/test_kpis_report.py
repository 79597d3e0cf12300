"""The report page: valid, self-contained HTML with four SVG charts and the KPI figures; handlers never load it."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from replyloop.kpis import compute_kpis, month_period
from replyloop.kpis.records import FaqAnswer
from replyloop.models.kpis import Kpis
from replyloop.report import render_report
from replyloop.report.format import count, days, duration, percent, period_title
from tests.support.kpis import (
    MemoryActivity,
    MemoryCases,
    MemoryIdeas,
    answered_case,
    comment,
    memory_sources,
    open_case,
    utc,
)

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
NOVEMBER = month_period("2026-11", "Europe/Warsaw")
VOID = {"meta", "br", "rect", "line"}


class Page(HTMLParser):
    """Tags in order, open-element nesting checked, SVG elements counted per chart, and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.stack: list[str] = []
        self.svgs: list[Counter[str]] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag == "svg":
            self.svgs.append(Counter())
        elif "svg" in self.stack:
            self.svgs[-1][tag] += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes += [(tag, name, value) for name, value in attrs]
        if "svg" in self.stack:
            self.svgs[-1][tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())

    @property
    def visible(self) -> str:
        return " ".join(self.text)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def kpis() -> Kpis:
    activity = MemoryActivity().add(
        comment(date(2026, 9, 1), "veteran"),
        comment(date(2026, 11, 3), "veteran", "question"),
        comment(date(2026, 11, 3), "a", "complaint"),
        comment(date(2026, 11, 12), "b", "praise", platform="instagram"),
        comment(date(2026, 11, 20), "a", "toxic"),
        comment(date(2026, 11, 21), "bot", "spam"),
    )
    link = "https://help.example/?utm_content=pl-1"
    activity.add_faq_answer(
        FaqAnswer(date(2026, 11, 3), "facebook", "c1", "pl", "pl-1", "dry-run", link, "pl-1"), utc(2026, 11, 3), 0
    )
    ideas = (
        MemoryIdeas()
        .idea(1, utc(2026, 11, 4), "shipped", votes=[utc(2026, 11, 5)], shipped_at=utc(2026, 11, 24))
        .idea(2, utc(2026, 11, 6), "accepted")
    )
    cases = MemoryCases(
        [
            answered_case(utc(2026, 11, 3, 9), 1500),
            answered_case(utc(2026, 11, 10, 9), 2700),
            answered_case(utc(2026, 11, 17, 9), 9000, escalated_to=("support",)),
            open_case(utc(2026, 11, 18, 9), escalated_to=("support", "smm-lead")),
        ]
    )
    return compute_kpis(NOVEMBER, memory_sources(cases, activity, ideas), utc(2026, 12, 1, 9))


def test_the_page_is_well_formed_and_self_contained(kpis: Kpis) -> None:
    html = render_report(kpis)
    page = parse(html)
    assert html.startswith("<!DOCTYPE html>")
    assert page.problems == []
    assert page.stack == []
    assert (page.tags["html"], page.tags["head"], page.tags["body"], page.tags["style"]) == (1, 1, 1, 1)
    assert page.tags["script"] == page.tags["link"] == page.tags["img"] == page.tags["iframe"] == 0
    fetching = [(tag, name, value) for tag, name, value in page.attributes if name in ("src", "href")]
    assert fetching == []
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "@import" not in html
    assert "url(" not in html


def test_there_are_four_charts_with_bars_axes_and_titles(kpis: Kpis) -> None:
    page = parse(render_report(kpis))
    assert page.tags["svg"] == 4
    assert page.tags["figure"] == 4
    histogram, sla, labels, funnel = page.svgs
    assert histogram["rect"] >= len(kpis.speed.response_time_histogram)
    assert histogram["line"] >= 2 + 2  # gridlines and the median and p90 markers
    assert sla["rect"] >= 2 * sum(1 for w in kpis.speed.sla_by_week if w.settled)
    assert labels["rect"] >= 4 + 4  # legend swatches and stacked segments
    assert funnel["rect"] == 2 * 4  # a track and a bar per stage
    titled = [value for tag, name, value in page.attributes if tag == "svg" and name == "aria-label"]
    assert len(titled) == 4
    assert all(value for value in titled)


def test_the_figures_are_on_the_page(kpis: Kpis) -> None:
    text = parse(render_report(kpis)).visible
    speed, community = kpis.speed, kpis.community
    assert "November 2026" in text
    assert duration(speed.first_response_median_seconds) in text
    assert duration(2700) == "45 min"
    assert "45 min" in text
    assert percent(speed.answered_within_sla_share) == "50%"
    assert "50%" in text
    assert f"D7: {community.returning_d7} of {community.active_participants}" in text
    assert "smm-lead 1" in text
    assert "support 2" in text
    assert "unknown" in text  # links followed, without a click source
    assert days(kpis.product.first_ask_to_shipped_median_days) == "20 days"
    assert "20 days" in text
    for label in ("question", "complaint", "praise", "toxic", "spam"):
        assert label in text  # the legend
    assert "1 (50%)" in text  # the funnel: 1 of 2 ideas shipped
    assert "Returning after 7 / 30 days" in text  # the definitions


def test_an_empty_period_says_so_in_each_chart() -> None:
    kpis = compute_kpis(NOVEMBER, memory_sources(), utc(2026, 12, 1))
    page = parse(render_report(kpis))
    assert page.tags["svg"] == 4
    assert page.problems == []
    for message in (
        "No case was answered in this period.",
        "No case reached its deadline",
        "No comment was recorded in this period.",
        "No new idea was received in this period.",
    ):
        assert message in page.visible


def test_numbers_are_written_for_people() -> None:
    assert [duration(s) for s in (None, 42, 200, 4320, 3600, 190000)] == [
        "\u2013",
        "42 s",
        "3 min",
        "1 h 12 min",
        "1 h",
        "2 d 5 h",
    ]
    assert [percent(v) for v in (None, 0, 0.03, 0.045, 0.0996, 0.783, 1)] == [
        "\u2013",
        "0%",
        "3.0%",
        "4.5%",
        "10%",
        "78%",
        "100%",
    ]
    assert (count(None), count(12345), count(2.25)) == ("unknown", "12\u202f345", "2.2")
    assert period_title(NOVEMBER) == "November 2026"
    week = NOVEMBER.model_copy(update={"start": date(2026, 11, 16), "end": date(2026, 11, 22)})
    assert period_title(week) == "16 Nov \u2013 22 Nov 2026"


def test_the_kpi_handlers_never_import_the_report_renderer() -> None:
    """The renderer lives in the layer for the CLI; a handler that loaded it would pay for it at every cold start."""
    script = (
        "import sys\n"
        "import functions.activity.app, functions.kpi_digest.app\n"
        "print(sorted(m for m in sys.modules if m.startswith(('replyloop.report', 'replyloop.cli'))))\n"
        "print('replyloop.kpis.compute' in sys.modules)\n"
    )
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'replyloop'}", "TZ": "UTC", "PATH": "/usr/bin:/bin"}
    env |= {"AWS_DEFAULT_REGION": "eu-central-1", "POWERTOOLS_TRACE_DISABLED": "true"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.split() == ["[]", "True"]
