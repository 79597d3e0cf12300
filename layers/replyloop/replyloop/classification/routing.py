"""Who acts on each label (needs_response, priority, team): a data file, overridable per deployment."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict

from replyloop.data import load_json, override_dir
from replyloop.models.classification import LABELS, Label, Priority, Team

__all__ = ["ROUTING_FILE", "Route", "load_routes", "route"]

ROUTING_FILE = "classification/routing.json"


class Route(BaseModel):
    """What happens to a comment with a given label."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    needs_response: bool
    priority: Priority
    team: Team


@cache
def load_routes(data_dir: str | None = None) -> dict[Label, Route]:
    """Validated once per container per data directory: a typo in a deployment's file fails at start, not later."""
    del data_dir  # only the cache key: load_json resolves the override itself
    raw = load_json(ROUTING_FILE)
    missing = [label for label in LABELS if label not in raw]
    if missing:
        raise ValueError(f"{ROUTING_FILE} has no route for {missing}")
    return {label: Route.model_validate(raw[label]) for label in LABELS}


def route(label: Label) -> Route:
    """The route for `label` under the data files in force now."""
    return load_routes(override_dir())[label]
