"""`replyloop ideas ...` against moto: the same use cases as the admin API, pointed at by stage, stack or env."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest

from infra.local.clients import Clients
from replyloop.cli import main
from tests.integration.conftest import Bus, capture
from tests.support.ideas import IdeasWorld, clear_caches

STAGE = ["--stage", "local"]  # template.yaml's names for Stage=local: replyloop-local-ideas, replyloop-local
MOTO_CALLER = "arn:aws:sts::123456789012:user/moto"


@pytest.fixture
def world(aws: Clients) -> Iterator[IdeasWorld]:
    world = IdeasWorld.on(aws)
    world.ask("Dodajcie tryb ciemny w aplikacji", "c1", "a1")
    world.ask("tryb ciemny proszę", "c2", "a2")
    world.ask("Dodajcie płatność BLIKIEM", "c3", "a2")
    with clear_caches():  # the CLI makes its clients inside this test's moto
        yield world


@pytest.fixture
def bus(aws: Clients, world: IdeasWorld) -> Bus:
    return capture(aws, "replyloop-local", "replyloop.ideas", "capture-cli")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["ideas", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_prints_a_table_and_json(world: IdeasWorld, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", *STAGE)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["#", "status", "votes"]
    assert lines[1].split()[:3] == ["#1", "new", "2"]
    code, out, _ = run(capsys, "list", "--sort", "priority", "--limit", "1", "--json", *STAGE)
    page = json.loads(out)
    assert (code, len(page["items"]), bool(page["cursor"])) == (0, 1, True)
    code, out, _ = run(
        capsys, "list", "--sort", "priority", "--limit", "1", "--cursor", page["cursor"], "--json", *STAGE
    )
    second = json.loads(out)
    assert code == 0
    assert {i["number"] for i in page["items"] + second["items"]} == {1, 2}
    code, _, err = run(capsys, "list", "--limit", "1", "--cursor", page["cursor"], *STAGE)
    assert (code, "another list" in err) == (1, True)


def test_set_changes_status_as_the_aws_caller_and_announces_it(
    world: IdeasWorld, bus: Bus, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "set", "#1", "--status", "accepted", "--impact", "5", "--cost", "1", "--note", "go", *STAGE
    )
    assert code == 0
    assert out.split()[:4] == ["#1", "accepted", "2", "quick"]
    [event] = bus.drain()
    assert (event["detail-type"], event["detail"]["who"], event["detail"]["note"]) == (
        "IdeaStatusChanged",
        MOTO_CALLER,
        "go",
    )
    run(capsys, "set", "1", "--status", "planned", *STAGE)
    code, out, _ = run(capsys, "set", "1", "--status", "shipped", "--release-note-pl", "Jest!", "--json", *STAGE)
    shipped = json.loads(out)
    assert (code, shipped["status"], shipped["release_notes"]) == (0, "shipped", {"pl": "Jest!"})
    assert len(shipped["shipped_month"]) == 7


def test_merge_and_show_the_redirect(world: IdeasWorld, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "merge", "2", "--into", "1", *STAGE)
    assert code == 0
    assert "#2 merged into #1: 0 vote(s) moved, 1 author(s) had voted for both (counted once)" in out
    code, out, _ = run(capsys, "show", "2", *STAGE)
    assert code == 0
    assert out.splitlines()[0] == "#2 was merged into #1:"
    assert "comments (3):" in out
    assert MOTO_CALLER in out


def test_refusals_exit_non_zero_with_the_reason(world: IdeasWorld, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "set", "1", "--status", "shipped", *STAGE)
    assert (code, err.strip()) == (
        1,
        "replyloop ideas: #1 is new: it cannot become shipped; allowed next: accepted, declined (409)",
    )
    assert run(capsys, "show", "99", *STAGE)[:1] == (1,)
    code, _, err = run(capsys, "set", "1", "--note", "only a note", *STAGE)
    assert code == 2
    assert "nothing to change" in err
    with pytest.raises(SystemExit) as usage:
        main(["ideas", "set", "1", "--impact", "9", *STAGE])
    assert usage.value.code == 2


def test_the_deployment_comes_from_env_or_stack_outputs(
    world: IdeasWorld, aws: Clients, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDEAS_TABLE", raising=False)
    code, _, err = run(capsys, "list")
    assert code == 2
    assert "which deployment?" in err
    monkeypatch.setenv("IDEAS_TABLE", "replyloop-local-ideas")
    monkeypatch.setenv("EVENT_BUS_NAME", "replyloop-local")
    assert run(capsys, "list")[0] == 0
    outputs = {"IdeasTableName": "replyloop-local-ideas", "EventBusName": "replyloop-local"}
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    boto3.client("cloudformation").create_stack(StackName="replyloop", TemplateBody=json.dumps(template))
    monkeypatch.delenv("IDEAS_TABLE")
    code, out, err = run(capsys, "list", "--stack", "replyloop", "--json")
    assert (code, err) == (0, "")
    assert [i["number"] for i in json.loads(out)["items"]] == [1, 2]
    code, _, err = run(capsys, "list", "--stack", "nope")
    assert code == 3
    assert "AWS said" in err
