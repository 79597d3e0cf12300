"""botocore's failures as one tuple, for callers outside the adapters (the CLI) that must not import botocore."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

__all__ = ["AWS_ERRORS"]

AWS_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError)
