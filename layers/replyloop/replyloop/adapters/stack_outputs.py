"""A deployed stack's CloudFormation outputs (the CLI finds the table and bus of `--stack` there)."""

from __future__ import annotations

from typing import Any

from replyloop.adapters.aws import client as shared_client

__all__ = ["stack_outputs"]


def stack_outputs(stack_name: str, *, client: Any = None) -> dict[str, str]:
    """OutputKey -> OutputValue; raises botocore's ClientError when there is no such stack."""
    cloudformation = client or shared_client("cloudformation")
    [stack] = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
