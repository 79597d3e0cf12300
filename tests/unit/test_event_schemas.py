"""The committed JSON Schemas of the bus events are the ones the models generate (run `make schemas`)."""

from __future__ import annotations

import json

from infra.event_schemas import SCHEMA_DIR, rendered


def test_committed_schemas_are_current() -> None:
    expected = rendered()
    committed = {path: path.read_text(encoding="utf-8") for path in SCHEMA_DIR.glob("*.json")}
    assert set(committed) == set(expected), "run `make schemas`"
    stale = [path.name for path, text in expected.items() if committed[path] != text]
    assert stale == [], f"run `make schemas`: {stale}"


def test_comment_received_schema_carries_the_contract_fields() -> None:
    schema = json.loads((SCHEMA_DIR / "replyloop.ingest.CommentReceived.json").read_text())
    contract = {
        "platform",
        "comment_id",
        "thread_id",
        "parent_id",
        "author",
        "text",
        "created_at",
        "received_at",
        "permalink",
    }
    assert contract <= set(schema["properties"])
    assert schema["properties"]["platform"]["enum"] == ["facebook", "instagram", "x", "telegram", "generic"]
