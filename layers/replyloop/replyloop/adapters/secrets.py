"""The platform secret, read through Powertools Parameters (cached for five minutes per container)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from replyloop.adapters.aws import client as shared_client
from replyloop.ingest.credentials import PlatformCredentials

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

__all__ = ["PlatformSecretStore"]

CACHE_SECONDS = 300


class PlatformSecretStore:
    def __init__(self, secret_arn: str, *, client: Any = None) -> None:
        self._secret_arn = secret_arn
        self._client = client
        self._provider: SecretsProvider | None = None

    def load(self) -> PlatformCredentials:
        """The validated credentials; a rotated secret is picked up within CACHE_SECONDS."""
        if self._provider is None:
            from aws_lambda_powertools.utilities.parameters import SecretsProvider  # with boto3: on first use

            self._provider = SecretsProvider(boto3_client=self._client or shared_client("secretsmanager"))
        raw = self._provider.get(self._secret_arn, transform="json", max_age=CACHE_SECONDS)
        return PlatformCredentials.model_validate(raw)
