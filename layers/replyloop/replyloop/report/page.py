"""The KPI report as one self-contained HTML page (no script, no web font, no request: it opens offline).

Headline cards with short explanations, inline SVG charts, and the definitions as a footnote.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from replyloop.models.kpis import Kpis
from replyloop.report import charts
from replyloop.report.definitions import DEFINITIONS
from replyloop.report.format import count, days, duration, percent, period_title

__all__ = ["render_report"]

CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --rule: #e5e7eb; --card: #ffffff; --page: #f5f6f8; --accent: #4f46e5; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 15px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 36px 28px 48px; }
header { display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; flex-wrap: wrap;
  border-bottom: 1px solid var(--rule); padding-bottom: 18px; margin-bottom: 8px; }
.brand { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); font-weight: 700; }
h1 { font-size: 30px; margin: 4px 0 0; letter-spacing: -.01em; }
.meta { color: var(--muted); font-size: 13px; text-align: right; }
h2 { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); margin: 30px 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 14px; }
.split { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; align-items: start; }
.split .cards { grid-template-columns: 1fr 1fr; }
@media (max-width: 900px) { .split { grid-template-columns: 1fr; } }
.card { background: var(--card); border: 1px solid var(--rule); border-radius: 12px; padding: 16px 18px 14px; }
.card .name { font-size: 13px; color: var(--muted); font-weight: 600; }
.card .value { font-size: 30px; font-weight: 700; letter-spacing: -.02em; margin: 4px 0 2px; white-space: nowrap; }
.card .value.unknown { color: var(--muted); font-size: 22px; padding: 6px 0 3px; }
.card .sub { font-size: 12.5px; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; margin-top: 14px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--rule); border-radius: 12px; padding: 16px 18px; }
figcaption { font-weight: 650; font-size: 14px; margin-bottom: 2px; }
figure p { margin: 0 0 10px; color: var(--muted); font-size: 12.5px; }
figure svg { width: 100%; height: auto; display: block; }
footer { margin-top: 34px; border-top: 1px solid var(--rule); padding-top: 16px; color: var(--muted);
  font-size: 12.5px; }
footer dl { display: grid; grid-template-columns: 210px 1fr; gap: 6px 18px; margin: 10px 0 0; }
footer dt { font-weight: 600; color: var(--ink); }
footer dd { margin: 0; }
@media print { body { background: #fff; } .card, figure { break-inside: avoid; } }
"""

Card = tuple[str, str, str]  # name, value, explanation


def _cards(cards: Sequence[Card]) -> str:
    html = []
    for name, value, sub in cards:
        unknown = " unknown" if value == "unknown" else ""
        html.append(
            f'<div class="card"><div class="name">{escape(name)}</div>'
            f'<div class="value{unknown}">{escape(value)}</div><div class="sub">{escape(sub)}</div></div>'
        )
    return '<div class="cards">' + "".join(html) + "</div>"


def _figure(caption: str, note: str, svg: str) -> str:
    return f"<figure><figcaption>{escape(caption)}</figcaption><p>{escape(note)}</p>{svg}</figure>"


def _speed(kpis: Kpis) -> str:
    s = kpis.speed
    teams = " · ".join(f"{team} {n}" for team, n in s.escalations_by_team.items()) or "none"
    cards = [
        (
            "First response, median",
            duration(s.first_response_median_seconds),
            f"p90 {duration(s.first_response_p90_seconds)} · working time "
            f"{duration(s.first_response_working_median_seconds)} (p90 "
            f"{duration(s.first_response_working_p90_seconds)}); {s.cases_answered} answered",
        ),
        (
            "Answered within SLA",
            percent(s.answered_within_sla_share),
            f"{s.answered_within_sla} of {s.cases_settled} cases answered or past their deadline"
            + (f"; {s.cases_unanswered_late} still unanswered after the deadline" if s.cases_unanswered_late else ""),
        ),
        (
            "Closed without escalation",
            percent(s.closed_without_escalation_share),
            f"{s.closed_without_escalation} of {s.cases_decided} cases closed, escalated or past due"
            + (f" ({s.cases_pending} not yet due)" if s.cases_pending else ""),
        ),
        ("Escalations", count(sum(s.escalations_by_team.values())), f"{s.cases_escalated} cases · {teams}"),
    ]
    figures = _figure(
        "Response-time distribution",
        "Answered cases by wall-clock time to the first answer; dashed lines mark the median and p90.",
        charts.response_histogram(s),
    ) + _figure(
        "SLA share per week",
        "Cases opened each week, answered before their deadline, of those answered or past due.",
        charts.sla_by_week(s.sla_by_week),
    )
    return f"<h2>Speed &amp; quality of dialogue</h2>{_cards(cards)}<div class='charts'>{figures}</div>"


def _community(kpis: Kpis) -> str:
    c = kpis.community
    cards = [
        (
            "Active participants",
            count(c.active_participants),
            f"people who wrote; {c.new_participants} for the first time",
        ),
        ("Comments per week", count(c.comments_per_week), f"{count(c.comments)} comments by the public in the period"),
        ("Returning after 7 days", percent(c.returning_d7_share), f"D7: {c.returning_d7} of {c.active_participants}"),
        (
            "Returning after 30 days",
            percent(c.returning_d30_share),
            f"D30: {c.returning_d30} of {c.active_participants}",
        ),
        ("Toxic / spam", f"{percent(c.toxic_share)} / {percent(c.spam_share)}", "of all comments, hidden by policy"),
    ]
    figure = _figure(
        "Comments by label per week",
        "Every comment by a member of the public, by the label the classifier gave it (weeks start on Monday).",
        charts.comments_by_label(c.comments_by_week),
    )
    return f"<h2>Community</h2>{_cards(cards)}<div class='charts'>{figure}</div>"


def _service_and_product(kpis: Kpis) -> str:
    v, p = kpis.service, kpis.product
    dry = v.faq_auto_answers - v.faq_auto_answers_sent
    service = [
        (
            "FAQ auto-answers",
            count(v.faq_auto_answers),
            f"{percent(v.faq_answered_question_share)} of questions"
            + (f"; {dry} in dry-run (not sent)" if dry else ""),
        ),
        (
            "Links followed",
            count(v.links_followed),
            f"{v.links_sent} tracked links sent; source: {v.links_followed_source}",
        ),
    ]
    months = p.ideas_received_by_month
    by_month = ", ".join(f"{month}: {n}" for month, n in months.items()) if len(months) > 1 else ""
    product = [
        ("Ideas received", count(p.ideas_received), by_month or "first asked for in the period"),
        ("Votes", count(p.votes), "one per person per idea, cast in the period"),
        ("Ideas shipped", count(p.ideas_shipped), "moved to shipped in the period"),
        ("First ask → shipped", days(p.first_ask_to_shipped_median_days), "median, over the ideas shipped"),
    ]
    figure = _figure(
        "Ideas funnel",
        "Ideas first asked for in the period and the furthest status each has reached by now.",
        charts.ideas_funnel(p.funnel),
    )
    return (
        f"<h2>Service</h2>{_cards(service)}<h2>Product: you asked, we did</h2>"
        f"<div class='split'>{_cards(product)}{figure}</div>"
    )


def _footer(kpis: Kpis) -> str:
    rows = "".join(f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in DEFINITIONS)
    return (
        "<footer><strong>Definitions.</strong> Days, weeks (Monday to Sunday) and months are local to "
        f"{escape(kpis.period.timezone)}; figures come from the cases, activity and ideas tables as of the time "
        f"above. A dash means nothing to count.<dl>{rows}</dl></footer>"
    )


def render_report(kpis: Kpis, *, brand: str = "Replyloop") -> str:
    """The whole page as a string (UTF-8 when written)."""
    period = kpis.period
    computed = kpis.computed_at.strftime("%Y-%m-%d %H:%M UTC")
    title = f"{brand} · Dialogue KPIs · {period_title(period)}"
    header = (
        f'<header><div><div class="brand">{escape(brand)} · dialogue KPIs</div>'
        f"<h1>{escape(period_title(period))}</h1></div>"
        f'<div class="meta">{period.start.isoformat()} to {period.end.isoformat()} ({escape(period.timezone)})<br>'
        f"computed {computed}</div></header>"
    )
    body = header + _speed(kpis) + _community(kpis) + _service_and_product(kpis) + _footer(kpis)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>\n"
    )
