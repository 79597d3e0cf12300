"""Who is calling AWS (STS GetCallerIdentity): the `who` of changes made with the CLI."""

from __future__ import annotations

from typing import Any

from replyloop.adapters.aws import client as shared_client

__all__ = ["caller_arn"]


def caller_arn(*, client: Any = None) -> str:
    """The ARN of the credentials in use (a user, or an assumed role with its session name)."""
    return str((client or shared_client("sts")).get_caller_identity()["Arn"])
