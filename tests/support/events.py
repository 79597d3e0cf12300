"""The one way tests read the samples in events/: `load_event` (parsed JSON) and `load_body` (raw bytes)."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = ["EVENTS_DIR", "load_body", "load_event"]

EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"


def _path(relative_path: str | Path) -> Path:
    """`webhooks/x/crc.json` and `events/webhooks/x/crc.json` (as given to `sam local invoke -e`) both work."""
    parts = PurePosixPath(Path(relative_path).as_posix()).parts
    if parts and parts[0] == EVENTS_DIR.name:
        parts = parts[1:]
    return EVENTS_DIR.joinpath(*parts)


def load_event(relative_path: str | Path) -> dict[str, Any]:
    """A sample event as data, e.g. `load_event("webhooks/facebook/comment_add.json")`."""
    return json.loads(_path(relative_path).read_text(encoding="utf-8"))


def load_body(relative_path: str | Path) -> bytes:
    """A raw webhook body exactly as the platform sends it, e.g. `load_body("webhooks/x/aaa_reply.body.json")`."""
    return _path(relative_path).read_bytes()
