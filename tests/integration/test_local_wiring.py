"""The local stack's machinery on a small template of its own: reader, resources, rules, retries, schedules."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from infra.local.clients import Clients
from infra.local.model import build_functions
from infra.local.resources import create_resources
from infra.local.samples import send
from infra.local.stack import LocalStack
from infra.local.template import load_template

pytestmark = pytest.mark.integration

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 5
    MemorySize: 256
    Environment:
      Variables:
        OUT_DIR: !Ref OutDir
        BUS_NAME: !Ref Bus
Parameters:
  Stage: {Type: String, Default: prod}
  OutDir: {Type: String}
Conditions:
  IsLocal: !Equals [!Ref Stage, local]
  IsProd: !Not [!Condition IsLocal]
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: !Sub "wiring-${Stage}"}
  Things:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${AWS::StackName}-things"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: owner, AttributeType: S}
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      GlobalSecondaryIndexes:
        - IndexName: by-owner
          KeySchema: [{AttributeName: owner, KeyType: HASH}]
          Projection: {ProjectionType: ALL}
      TimeToLiveSpecification: {AttributeName: expires_at, Enabled: true}
  Dlq:
    Type: AWS::SQS::Queue
  Work:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 2}
  Alerts:
    Type: AWS::SNS::Topic
  OnlyLocally:
    Type: AWS::SQS::Queue
    Condition: IsLocal
  OnlyInProd:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmName: !Sub "${Recorder}-errors"}
  Recorder:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: recorder.handler
      Environment:
        Variables: {TABLE: !Ref Things, VERBOSE: true}
      Events:
        Wanted:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref Bus
            Pattern: {source: [test.wiring], detail-type: [Wanted]}
        Nightly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 3 * * ? *)
            ScheduleExpressionTimezone: Europe/Warsaw
            Input: '{"job": "nightly"}'
        Thing:
          Type: HttpApi
          Properties: {Path: "/things/{id}", Method: ANY}
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Work.Arn, BatchSize: 5}
        Support:
          Type: SNS
          Properties: {Topic: !Ref Alerts, FilterPolicy: {team: [support]}}
  Failing:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: failing.handler
      Events:
        Doomed:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref Bus
            Pattern: {detail-type: [Doomed]}
            RetryPolicy: {MaximumRetryAttempts: 1}
        Crash:
          Type: HttpApi
          Properties: {Path: /crash, Method: POST}
  ConstantInput:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Bus
      EventPattern: {detail-type: [Constant]}
      Targets:
        - {Id: recorder, Arn: !GetAtt Recorder.Arn, Input: '{"constant": true}'}
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: machine.asl.json
      DefinitionSubstitutions: {TableName: !Ref Things}
      Events:
        Save:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref Bus
            Pattern: {detail-type: [SaveThing]}
            InputPath: $.detail
"""

RECORDER = """
import json, os, uuid

def handler(event, context):
    record = {"event": event, "function": context.function_name, "memory": context.memory_limit_in_mb,
              "remaining_ms": context.get_remaining_time_in_millis(), "endpoint": os.environ["AWS_ENDPOINT_URL"],
              "table": os.environ["TABLE"], "verbose": os.environ["VERBOSE"]}
    path = os.path.join(os.environ["OUT_DIR"], f"recorder-{uuid.uuid4()}.json")
    with open(path, "w") as f:
        json.dump(record, f)
    if event.get("version") == "2.0":
        return {"statusCode": 200, "body": json.dumps({"id": event["pathParameters"]["id"]})}
    return {"ok": True}
"""

FAILING = """
import os, uuid

def handler(event, context):
    open(os.path.join(os.environ["OUT_DIR"], f"failing-{uuid.uuid4()}"), "w").close()
    raise RuntimeError("always fails")
"""

MACHINE = {
    "StartAt": "Save",
    "States": {
        "Save": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "${TableName}", "Item": {"pk": {"S.$": "$.pk"}}},
            "End": True,
        }
    },
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wiring")
    (root / "fn").mkdir()
    (root / "fn" / "recorder.py").write_text(RECORDER)
    (root / "fn" / "failing.py").write_text(FAILING)
    (root / "machine.asl.json").write_text(json.dumps(MACHINE))
    (root / "out").mkdir()
    (root / "template.yaml").write_text(TEMPLATE)
    return root


@pytest.fixture(scope="module")
def stack(project: Path) -> Iterator[LocalStack]:
    params = {"OutDir": str(project / "out")}
    with LocalStack(project / "template.yaml", parameters=params, secret_strings={}) as running:
        yield running


def records(project: Path, prefix: str = "recorder") -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((project / "out").glob(f"{prefix}-*.json"))]


def wait_for(condition: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)
    return result


def test_template_reader_applies_parameters_conditions_and_globals(project: Path) -> None:
    template = load_template(project / "template.yaml", parameters={"OutDir": "/tmp/x"})
    assert template.parameters["Stage"] == "local"
    assert "OnlyLocally" in template.resources
    assert "OnlyInProd" not in template.resources
    props = template.resources["Recorder"].properties
    assert props["Timeout"] == 5
    assert set(props["Environment"]["Variables"]) == {"OUT_DIR", "BUS_NAME", "TABLE", "VERBOSE"}


def test_resources_are_created_as_the_template_declares(project: Path) -> None:
    template = load_template(project / "template.yaml", parameters={"OutDir": "/tmp/x"})
    with mock_aws():
        clients = Clients()
        physical = create_resources(template, clients)
        table = clients.dynamodb.describe_table(TableName="replyloop-local-things")["Table"]
        ttl = clients.dynamodb.describe_time_to_live(TableName="replyloop-local-things")
        redrive = clients.sqs.get_queue_attributes(QueueUrl=physical["Work"], AttributeNames=["RedrivePolicy"])
        machine = clients.stepfunctions.describe_state_machine(stateMachineArn=physical["Machine"])
        functions = build_functions(template, physical)

    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["by-owner"]
    assert ttl["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    assert json.loads(redrive["Attributes"]["RedrivePolicy"]) == {
        "deadLetterTargetArn": physical.get_att("Dlq", "Arn"),
        "maxReceiveCount": 2,
    }
    assert '"TableName": "replyloop-local-things"' in machine["definition"]
    assert physical["Alarm"] == "replyloop-local-Recorder-errors"  # placeholder, resolved like CloudFormation
    recorder = functions["Recorder"]
    assert (recorder.module, recorder.attribute, recorder.timeout) == ("fn.recorder", "handler", 5)
    assert recorder.environment == {
        "OUT_DIR": "/tmp/x",
        "BUS_NAME": "wiring-local",
        "TABLE": "replyloop-local-things",
        "VERBOSE": "true",
    }


def test_only_creates_the_selected_resources_and_their_dependencies(project: Path) -> None:
    template = load_template(project / "template.yaml", parameters={"OutDir": "/tmp/x"})
    with mock_aws():
        clients = Clients()
        create_resources(template, clients, only=["Work"])
        queues = [url.rsplit("/", 1)[-1] for url in clients.sqs.list_queues()["QueueUrls"]]
        tables = clients.dynamodb.list_tables()["TableNames"]
    assert sorted(queues) == ["replyloop-local-Dlq", "replyloop-local-Work"]
    assert tables == []


def put(stack: LocalStack, detail_type: str, detail: dict[str, Any]) -> None:
    entry = {
        "Source": "test.wiring",
        "DetailType": detail_type,
        "Detail": json.dumps(detail),
        "EventBusName": "wiring-local",
    }
    assert stack.clients.events.put_events(Entries=[entry])["FailedEntryCount"] == 0


def test_rules_route_only_matching_events_as_complete_eventbridge_events(stack: LocalStack, project: Path) -> None:
    marker = str(uuid.uuid4())
    put(stack, "Unwanted", {"marker": marker})
    put(stack, "Wanted", {"marker": marker})
    stack.wait_until_idle(timeout=10)
    got = [r for r in records(project) if r["event"].get("detail", {}).get("marker") == marker]

    assert [r["event"]["detail-type"] for r in got] == ["Wanted"]
    event = got[0]["event"]
    assert event["account"] == "123456789012"  # moto leaves it out; Powertools requires it
    assert {"version", "id", "source", "time", "region", "resources", "detail"} <= event.keys()
    assert got[0]["function"] == "replyloop-local-Recorder"
    assert got[0]["memory"] == 256
    assert 0 < got[0]["remaining_ms"] <= 5000
    assert got[0]["endpoint"] == stack.endpoint_url
    assert got[0]["verbose"] == "true"


def test_a_failing_handler_is_retried_then_dead_lettered(stack: LocalStack, project: Path) -> None:
    put(stack, "Doomed", {"n": 1})
    dlq = next(d.dlq_url for d in stack.wiring.deliveries if d.source == "Failing.Doomed")
    assert dlq is not None
    wait_for(lambda: stack.dead_letters()[dlq.rsplit("/", 1)[-1]] == 1, timeout=15)
    dead = stack.clients.sqs.receive_message(QueueUrl=dlq)["Messages"]

    assert json.loads(dead[0]["Body"])["detail-type"] == "Doomed"
    assert len(list((project / "out").glob("failing-*"))) == 2  # RetryPolicy: 1 retry


def test_an_events_rule_resource_delivers_its_constant_input(stack: LocalStack, project: Path) -> None:
    put(stack, "Constant", {})
    got = wait_for(lambda: [r for r in records(project) if r["event"] == {"constant": True}])
    assert len(got) == 1


def test_a_schedule_fires_on_demand_with_its_input(stack: LocalStack, project: Path) -> None:
    schedule = stack.clients.scheduler.get_schedule(Name="RecorderNightly")
    invocation = stack.fire_schedule("Recorder.Nightly")

    assert schedule["ScheduleExpressionTimezone"] == "Europe/Warsaw"
    assert invocation.ok  # type: ignore[union-attr]
    assert {"job": "nightly"} in [r["event"] for r in records(project)]
    with pytest.raises(KeyError, match="no schedule"):
        stack.fire_schedule("Nope")


def test_http_routes_get_http_api_v2_events(stack: LocalStack, project: Path) -> None:
    headers = {"X-Dup": "a", "Cookie": "a=1; b=2"}
    result = send(stack.api_url, "PUT", "/things/42", body=b"\xff\x00", headers=headers, query="q=1&q=2")
    event = next(r["event"] for r in records(project) if r["event"].get("rawPath") == "/things/42")

    assert (result.status, result.json()) == (200, {"id": "42"})
    assert result.headers["content-type"] == "application/json"
    assert event["routeKey"] == "ANY /things/{id}"
    assert event["pathParameters"] == {"id": "42"}
    assert event["queryStringParameters"] == {"q": "1,2"}
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["headers"]["x-dup"] == "a"
    assert event["isBase64Encoded"] is True
    assert event["requestContext"]["http"]["method"] == "PUT"


def test_http_errors_look_like_api_gateway(stack: LocalStack) -> None:
    assert send(stack.api_url, "POST", "/crash", body=b"{}").status == 500
    missing = send(stack.api_url, "GET", "/nothing/here")
    assert (missing.status, missing.json()) == (404, {"message": "Not Found"})


def test_the_state_machine_runs_its_real_definition(stack: LocalStack) -> None:
    sfn = stack.clients.stepfunctions
    arn = sfn.start_execution(stateMachineArn=stack.physical["Machine"], name="run-1", input='{"pk": "p1"}')[
        "executionArn"
    ]
    status = wait_for(lambda: (s := sfn.describe_execution(executionArn=arn)["status"]) != "RUNNING" and s)
    item = stack.clients.dynamodb.get_item(TableName="replyloop-local-things", Key={"pk": {"S": "p1"}})

    assert status == "SUCCEEDED"
    assert item["Item"]["pk"] == {"S": "p1"}


def test_queue_and_topic_sources_deliver_lambda_batches(stack: LocalStack, project: Path) -> None:
    marker = str(uuid.uuid4())
    stack.clients.sqs.send_message(QueueUrl=stack.physical["Work"], MessageBody=marker)
    sns = stack.clients.sns
    for team in ("sales", "support"):
        attributes = {"team": {"DataType": "String", "StringValue": team}}
        sns.publish(TopicArn=stack.physical["Alerts"], Message=f"{marker}-{team}", MessageAttributes=attributes)
    stack.wait_until_idle(timeout=10)
    batches = [r["event"]["Records"] for r in records(project) if "Records" in r["event"]]

    sqs = [rec for batch in batches for rec in batch if rec.get("eventSource") == "aws:sqs"]
    sns_messages = [rec["Sns"]["Message"] for batch in batches for rec in batch if rec.get("EventSource") == "aws:sns"]
    assert [rec["body"] for rec in sqs if rec["body"] == marker] == [marker]
    assert sqs[0]["eventSourceARN"] == stack.physical.get_att("Work", "Arn")
    assert [m for m in sns_messages if m.startswith(marker)] == [f"{marker}-support"]  # the filter policy held


def test_a_rule_starts_the_state_machine_with_its_input_path(stack: LocalStack) -> None:
    put(stack, "SaveThing", {"pk": "from-a-rule"})
    key = {"pk": {"S": "from-a-rule"}}
    item = wait_for(lambda: stack.clients.dynamodb.get_item(TableName="replyloop-local-things", Key=key).get("Item"))
    assert item == key
