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


class LazyClient:
    """An adapter's `client` attribute: the client it was given, else a shared client for `service` made on first
    use (`quick`: the short-timeout one). The adapter keeps what it was given in `self._client` (None: nothing)."""

    def __init__(self, service: str, *, quick: bool = False) -> None:
        self.service = service
        self.make = quick_client if quick else client

    def __get__(self, adapter: Any, owner: type | None = None) -> Any:
        if adapter is None:
            return self
        if adapter._client is None:
            adapter._client = self.make(self.service)
        return adapter._client

    def __set__(self, adapter: Any, value: Any) -> None:
        adapter._client = value
