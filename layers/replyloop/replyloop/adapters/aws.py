"""One place that makes boto3 clients: lazily, once per container, with timeouts and standard retries.

boto3 honours AWS_ENDPOINT_URL, so the same clients talk to moto locally and to AWS when deployed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3})


@cache
def client(service: str) -> Any:
    """A shared client for `service`; created on first use so that importing a handler stays cheap."""
    return boto3.client(service, config=_CONFIG)
