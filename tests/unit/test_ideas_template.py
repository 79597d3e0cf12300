"""template.yaml's ideas resources: IAM-only admin routes on the webhook API, rules, the table the code expects."""

from __future__ import annotations

from typing import Any

import pytest

from replyloop.adapters.ideas_items import BY_LANGUAGE, INDEXES
from tests.support.template import load_template, translate_template

pytestmark = pytest.mark.unit

ADMIN_ROUTES = {
    ("/admin/ideas", "get"),
    ("/admin/ideas/{number}", "get"),
    ("/admin/ideas/{number}", "patch"),
    ("/admin/ideas/{number}/merge", "post"),
}


@pytest.fixture(scope="module")
def sam() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate_template()


def _api_paths(cfn: dict[str, Any]) -> dict[str, Any]:
    [api] = [r for r in cfn["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Api"]
    return api["Properties"]["Body"]["paths"]


def test_admin_routes_need_iam_and_webhooks_stay_open(cfn: dict[str, Any]) -> None:
    paths = _api_paths(cfn)
    routes = {(path, method): operation for path, methods in paths.items() for method, operation in methods.items()}
    assert set(routes) >= ADMIN_ROUTES
    for route in ADMIN_ROUTES:
        assert routes[route].get("security") == [{"AWS_IAM": []}], route
        assert "${IdeasAdminFunction.Arn}" in routes[route]["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
    for method in ("get", "post"):
        assert "security" not in routes[("/webhooks/{platform}", method)], "platforms cannot sign with SigV4"


def test_the_ideas_function_gets_only_idea_comments_and_shipped_changes(sam: dict[str, Any]) -> None:
    events = sam["Resources"]["IdeasFunction"]["Properties"]["Events"]
    assert events["IdeaComment"]["Properties"]["Pattern"] == {
        "source": ["replyloop.classify"],
        "detail-type": ["CommentClassified"],
        "detail": {"classification": {"label": ["idea"]}},
    }
    assert events["IdeaShipped"]["Properties"]["Pattern"]["detail"] == {"to_status": ["shipped"]}
    for event in events.values():
        assert event["Properties"]["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["EventsDeadLetterQueue", "Arn"]}}


def test_react_thanks_ideas_on_idea_recorded(sam: dict[str, Any]) -> None:
    rule = sam["Resources"]["ReactFunction"]["Properties"]["Events"]["IdeaRecorded"]["Properties"]
    assert rule["Pattern"] == {"source": ["replyloop.ideas"], "detail-type": ["IdeaRecorded"]}


def test_the_table_has_the_keys_and_indexes_the_repository_queries(sam: dict[str, Any]) -> None:
    table = sam["Resources"]["IdeasTable"]
    props = table["Properties"]
    assert (table["DeletionPolicy"], props["PointInTimeRecoverySpecification"]) == (
        "Retain",
        {"PointInTimeRecoveryEnabled": True},
    )
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    indexes = {
        index["IndexName"]: tuple(key["AttributeName"] for key in index["KeySchema"])
        for index in props["GlobalSecondaryIndexes"]
    }
    expected = {name: (partition, sort) for name, partition, sort in INDEXES.values()}
    expected[BY_LANGUAGE] = ("gsi_lang", "number")
    assert indexes == expected


def test_both_functions_reach_only_the_ideas_table_and_the_bus(sam: dict[str, Any]) -> None:
    for name in ("IdeasFunction", "IdeasAdminFunction"):
        props = sam["Resources"][name]["Properties"]
        assert props["Environment"]["Variables"]["IDEAS_TABLE"] == {"Ref": "IdeasTable"}
        assert props["Policies"] == [
            {"EventBridgePutEventsPolicy": {"EventBusName": {"Ref": "EventBus"}}},
            {"DynamoDBCrudPolicy": {"TableName": {"Ref": "IdeasTable"}}},
        ]


def test_errors_of_the_ideas_functions_raise_alarms(sam: dict[str, Any]) -> None:
    alarmed = {
        resource["Properties"]["Dimensions"][0]["Value"]["Ref"]
        for resource in sam["Resources"].values()
        if resource["Type"] == "AWS::CloudWatch::Alarm" and resource["Properties"].get("MetricName") == "Errors"
    }
    assert {"IdeasFunction", "IdeasAdminFunction"} <= alarmed


def test_outputs_give_the_cli_its_table_and_bus(sam: dict[str, Any]) -> None:
    outputs = sam["Outputs"]
    assert outputs["IdeasTableName"]["Value"] == {"Ref": "IdeasTable"}
    assert outputs["EventBusName"]["Value"] == {"Ref": "EventBus"}
    assert outputs["IdeasAdminUrl"]["Value"]["Fn::Sub"].endswith("/admin/ideas")
