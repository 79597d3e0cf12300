"""The per-deployment key of the pseudonymous author keys, read from Secrets Manager (cached per container).

The template generates the secret once and retains it; rotating it would make every returning person look
new (D7/D30 restart from zero), so it has no rotation schedule.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from replyloop.adapters.aws import client as shared_client

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

__all__ = ["PseudonymKey"]

CACHE_SECONDS = 3600
JSON_KEY = "kpi_pseudonym_key"


class PseudonymKey:
    """A callable giving the key's bytes: the secret's string, or its `kpi_pseudonym_key` if it holds JSON."""

    def __init__(self, secret_arn: str, *, client: Any = None) -> None:
        self._secret_arn = secret_arn
        self._client = client
        self._provider: SecretsProvider | None = None

    def __call__(self) -> bytes:
        if self._provider is None:
            # Imported on first use: Powertools Parameters costs about 0.3 s of cold start.
            from aws_lambda_powertools.utilities.parameters import SecretsProvider

            self._provider = SecretsProvider(boto3_client=self._client or shared_client("secretsmanager"))
        value = str(self._provider.get(self._secret_arn, max_age=CACHE_SECONDS))
        if value.lstrip().startswith("{"):
            value = str(json.loads(value).get(JSON_KEY, ""))
        return value.encode("utf-8")
