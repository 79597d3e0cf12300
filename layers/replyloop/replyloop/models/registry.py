"""Every event detail model by detail-type: add the import of a new model module here."""

from __future__ import annotations

from replyloop.models import cases, events, ideas, kpis, summary
from replyloop.models.events import EventDetail

__all__ = ["DETAIL_TYPES"]

# Imported so that their models are subclasses of EventDetail by the time the registry is built.
_MODULES = (cases, events, ideas, kpis, summary)


def _concrete(base: type[EventDetail]) -> list[type[EventDetail]]:
    found = []
    for model in base.__subclasses__():
        if "detail_type" in vars(model):
            found.append(model)
        found.extend(_concrete(model))
    return found


DETAIL_TYPES: dict[str, type[EventDetail]] = {model.detail_type: model for model in _concrete(EventDetail)}
