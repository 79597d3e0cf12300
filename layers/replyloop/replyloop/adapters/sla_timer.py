"""The SLA timer: one Step Functions execution per case (SLA_STATE_MACHINE_ARN), named after the case."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from replyloop.adapters.aws import LazyClient
from replyloop.sla.cases import Case

__all__ = ["StepFunctionsTimer"]


class StepFunctionsTimer:
    """The Timer port. A Standard workflow's StartExecution with a name already used returns the running execution
    (same input) or raises ExecutionAlreadyExists (finished, or other input): either way the timer exists."""

    client = LazyClient("stepfunctions")

    def __init__(self, state_machine_arn: str, *, client: Any = None) -> None:
        self.state_machine_arn = state_machine_arn
        self._client = client

    def start(self, case: Case) -> None:
        try:
            self.client.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=case.execution_name,
                input=json.dumps(case.timer_input(), sort_keys=True, separators=(",", ":")),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ExecutionAlreadyExists":
                raise
