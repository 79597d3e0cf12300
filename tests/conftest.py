"""Shared test set-up: suites are marked by folder, and AWS never gets real credentials."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before boto3 is imported anywhere: no test may reach a real AWS account.
for _name, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-central-1",
    "AWS_REGION": "eu-central-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "Replyloop",
}.items():
    os.environ[_name] = _value
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)

_SUITES = {"unit", "integration", "e2e"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """tests/<suite>/... gets the <suite> marker, so `pytest -m unit` selects by folder."""
    for item in items:
        suite = Path(item.fspath).relative_to(Path(__file__).parent).parts[0]
        if suite in _SUITES:
            item.add_marker(suite)
