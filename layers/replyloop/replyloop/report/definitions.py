"""The definition of every KPI in words, as the report's footnote prints them (and the README repeats them)."""

from __future__ import annotations

__all__ = ["DEFINITIONS"]

DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "First response",
        "From the moment Replyloop received a comment that needs a person's answer (its case opened) to the brand's "
        "first reply, or a FAQ auto-answer where the SLA policy counts one. Wall clock and working time (the case's "
        "market calendar); median and 90th percentile (linear interpolation between closest ranks) over the cases "
        "opened in the period and answered.",
    ),
    (
        "Answered within SLA",
        "Cases answered before their deadline, of the cases opened in the period whose outcome is known: answered, "
        "or still unanswered after the deadline (a miss, not left out). Withdrawn cases (the comment was deleted) and "
        "cases not yet due are not counted.",
    ),
    (
        "Closed without escalation",
        "Cases answered or withdrawn before any escalation tier fired, of the cases opened in the period that are "
        "closed, escalated or past their deadline.",
    ),
    (
        "Escalations by team",
        "Every escalation tier that fired for the period's cases, by the team it notified (a case escalated to its "
        "team and then to the lead counts once for each).",
    ),
    (
        "Active participants",
        "Distinct people who wrote at least one comment in the period that was not labelled spam. People are "
        "pseudonymous keys (HMAC-SHA256 of platform and author id under a secret key), so the same person on two "
        "platforms counts twice. New: their first comment ever stored is in the period.",
    ),
    (
        "Comments per week",
        "Comments by members of the public (every label, spam included) filed under the period's local days, "
        "divided by the period's length in weeks; the chart counts them per Monday-to-Sunday week.",
    ),
    (
        "Returning after 7 / 30 days",
        "D7 (D30): the share of active participants who wrote in the period on a day at least 7 (30) days after the "
        "day of their first comment ever stored (activity is kept 400 days). Someone first seen on 1 November who "
        "writes again on 8 November is D7-returning; someone first seen in September who writes in November is both.",
    ),
    ("Toxic / spam", "Comments labelled toxic (spam), of all comments in the period."),
    (
        "FAQ auto-answers",
        "FAQ answers decided for the period's questions: sent in live mode, or decided in dry-run mode (counted "
        "apart); their share is of the comments labelled question.",
    ),
    (
        "Links followed",
        "Visits through the tracked (UTM) links of those answers. Replyloop never sees a click: the figure is "
        "unknown unless a click source (a web-analytics export by utm_content) is configured.",
    ),
    (
        "Ideas received, votes",
        "Ideas whose first ask (the first comment) is in the period, per month; ideas merged into another count "
        "in that one. Votes: cast in the period, one per person per idea.",
    ),
    (
        "Ideas shipped, first ask → shipped",
        "Ideas moved to shipped in the period; the median number of days from the first comment asking for each "
        "to that change.",
    ),
    (
        "Ideas funnel",
        "Of the ideas received in the period, how many are now accepted or further, planned or further, shipped "
        "(an idea declined after being accepted counts as declined only).",
    ),
)
