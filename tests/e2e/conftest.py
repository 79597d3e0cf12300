"""One local stack on the real template.yaml for the whole e2e session, torn down at the end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.stack import REPO_ROOT, LocalStack


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    with LocalStack(REPO_ROOT / "template.yaml") as running:
        yield running


@pytest.fixture(scope="session")
def secrets() -> dict[str, Any]:
    return dict(json.loads((REPO_ROOT / "events" / "secrets.demo.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def webhooks() -> Path:
    return REPO_ROOT / "events" / "webhooks"
