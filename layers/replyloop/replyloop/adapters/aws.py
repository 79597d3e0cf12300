"""One place that makes boto3 clients: lazily, once per container, with timeouts and standard retries.

boto3 honours AWS_ENDPOINT_URL, so the same clients talk to moto locally and to AWS when deployed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# boto3 is imported with the first client, not with the handler: an import that does no AWS work stays cheap
# (tests/bench/cold_start.py measures it), and paths that call no AWS service never pay for it.
_CONFIG = {"connect_timeout": 2, "read_timeout": 5, "retries": {"mode": "standard", "max_attempts": 3}}
# Optional calls on the request path (a second opinion): they must fail fast rather than use up the invocation.
_QUICK_CONFIG = {"connect_timeout": 1, "read_timeout": 3, "retries": {"mode": "standard", "max_attempts": 2}}


def _make(service: str, settings: dict[str, Any]) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(service, config=Config(**settings))


@cache
def client(service: str) -> Any:
    """A shared client for `service`; created on first use so that importing a handler stays cheap."""
    return _make(service, _CONFIG)


@cache
def quick_client(service: str) -> Any:
    """A shared client with short timeouts and one retry, for calls whose failure only costs an extra opinion."""
    return _make(service, _QUICK_CONFIG)


class Lazy:
    """An adapter's `client` attribute: the client it was given (`self._client`), else the shared client for
    `service`, made on first use."""

    def __init__(self, service: str) -> None:
        self.service = service

    def __get__(self, adapter: Any, owner: type | None = None) -> Any:
        if adapter is None:
            return self
        if adapter._client is None:
            adapter._client = client(self.service)
        return adapter._client
