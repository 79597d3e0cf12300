"""The idempotency ledger of ingest, on Powertools' DynamoDB idempotency persistence layer.

One webhook carries many changes that go out in shared PutEvents batches, so the
ledger claims each change's key before the put and completes or releases it after,
using the persistence layer's own record lifecycle (in progress -> completed, or
deleted when the put failed so that the platform's redelivery goes through).
"""

from __future__ import annotations

from typing import Any

from replyloop.adapters.aws import client as shared_client

__all__ = ["DEDUP_WINDOW_SECONDS", "IdempotencyLedger"]

# Longer than any platform's redelivery window (Meta 36 h, X replay and Telegram 24 h).
DEDUP_WINDOW_SECONDS = 48 * 3600


class IdempotencyLedger:
    """The domain's Ledger port. Keys are platform ids; Powertools hashes them before storing."""

    def __init__(
        self,
        table_name: str,
        *,
        client: Any = None,
        key_prefix: str = "replyloop.ingest",
        expires_after_seconds: int = DEDUP_WINDOW_SECONDS,
    ) -> None:
        # Imported here, in the composition root's first call, not with the handler (it brings boto3 along).
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

        self._layer = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client or shared_client("dynamodb"))
        self._config = IdempotencyConfig(event_key_jmespath="key", expires_after_seconds=expires_after_seconds)
        self._layer.configure(self._config, key_prefix=key_prefix)

    def register_lambda_context(self, context: Any) -> None:
        """In-progress claims then expire with the invocation, so a crashed attempt does not block retries."""
        self._config.register_lambda_context(context)

    def _remaining_ms(self) -> int | None:
        context = self._config.lambda_context
        return context.get_remaining_time_in_millis() if context is not None else None

    def claim(self, key: str) -> bool:
        from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyItemAlreadyExistsError

        try:
            self._layer.save_inprogress({"key": key}, remaining_time_in_millis=self._remaining_ms())
        except IdempotencyItemAlreadyExistsError:
            return False
        return True

    def complete(self, key: str) -> None:
        self._layer.save_success({"key": key}, result={})

    def release(self, key: str) -> None:
        self._layer.delete_record({"key": key}, exception=RuntimeError("put failed"))
