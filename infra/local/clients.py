"""boto3 clients for one endpoint (a moto server, in-process moto, or AWS), made once and shared."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

from infra.local.template import DEFAULT_REGION

__all__ = ["FAKE_CREDENTIALS", "Clients"]

# moto accepts any credentials; fixed fake ones keep a developer's real profile out of the way.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

_CONFIG = Config(
    retries={"max_attempts": 3, "mode": "standard"},
    max_pool_connections=64,  # one per dispatcher thread and then some
    connect_timeout=5,
    read_timeout=30,
)


class Clients:
    """Lazily created, cached clients; boto3 clients are thread-safe once created."""

    def __init__(self, *, region: str = DEFAULT_REGION, endpoint_url: str | None = None) -> None:
        self.region = region
        self.endpoint_url = endpoint_url
        self._session = boto3.session.Session(region_name=region, **FAKE_CREDENTIALS)
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(service, endpoint_url=self.endpoint_url, config=_CONFIG)
            return self._clients[service]

    @property
    def events(self) -> Any:
        return self.client("events")

    @property
    def sqs(self) -> Any:
        return self.client("sqs")

    @property
    def sns(self) -> Any:
        return self.client("sns")

    @property
    def dynamodb(self) -> Any:
        return self.client("dynamodb")

    @property
    def secretsmanager(self) -> Any:
        return self.client("secretsmanager")

    @property
    def stepfunctions(self) -> Any:
        return self.client("stepfunctions")

    @property
    def scheduler(self) -> Any:
        return self.client("scheduler")

    @property
    def s3(self) -> Any:
        return self.client("s3")

    @property
    def ssm(self) -> Any:
        return self.client("ssm")
