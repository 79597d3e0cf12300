"""The KPIs of dialogue for any period, computed from what Replyloop stored (domain: no AWS imports).

Names are loaded on first access, so the activity handler's cold start pays for recording only.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from replyloop.kpis.activity import ActivityRecorded, ActivityRecorder, Pseudonymizer
    from replyloop.kpis.clicks import CsvClicks, UnknownClicks
    from replyloop.kpis.compute import compute_kpis
    from replyloop.kpis.digest import DigestOutcome, WeeklyDigest
    from replyloop.kpis.period import KpiPolicy, last_days, load_policy, month_period
    from replyloop.kpis.ports import KpiSources
    from replyloop.models.kpis import Kpis, Period

_WHERE = {
    "ActivityRecorded": "activity",
    "ActivityRecorder": "activity",
    "Pseudonymizer": "activity",
    "CsvClicks": "clicks",
    "UnknownClicks": "clicks",
    "compute_kpis": "compute",
    "DigestOutcome": "digest",
    "WeeklyDigest": "digest",
    "KpiPolicy": "period",
    "last_days": "period",
    "load_policy": "period",
    "month_period": "period",
    "KpiSources": "ports",
}
_MODELS = {"Kpis", "Period"}

__all__ = [
    "ActivityRecorded",
    "ActivityRecorder",
    "CsvClicks",
    "DigestOutcome",
    "KpiPolicy",
    "KpiSources",
    "Kpis",
    "Period",
    "Pseudonymizer",
    "UnknownClicks",
    "WeeklyDigest",
    "compute_kpis",
    "last_days",
    "load_policy",
    "month_period",
]


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        return getattr(import_module("replyloop.models.kpis"), name)
    if name in _WHERE:
        return getattr(import_module(f"replyloop.kpis.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'replyloop.kpis' has no attribute {name!r}")
