"""`replyloop kpis` and `replyloop report` against moto, on tables the real handlers filled (as `--stage local`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local.clients import Clients
from replyloop.cli import main
from tests.support.kpi_world import KpiWorld, kpi_world

STAGE = ["--stage", "local"]


@pytest.fixture(scope="module")
def world_and_env() -> Iterator[tuple[KpiWorld, pytest.MonkeyPatch]]:
    """One November for every test here: the CLI only reads."""
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as monkeypatch, mock_aws(), kpi_world(Clients(), monkeypatch) as world:
        world.november()
        yield world, monkeypatch


@pytest.fixture
def world(world_and_env: tuple[KpiWorld, pytest.MonkeyPatch]) -> KpiWorld:
    return world_and_env[0]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_kpis_as_json(world: KpiWorld, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kpis", "--month", "2026-11", "--json", *STAGE)
    kpis = json.loads(out)
    assert code == 0
    assert kpis["period"] == {"start": "2026-11-01", "end": "2026-11-30", "timezone": "Europe/Warsaw"}
    assert (kpis["speed"]["cases_opened"], kpis["speed"]["first_response_median_seconds"]) == (3, 6300.0)
    assert (kpis["community"]["active_participants"], kpis["community"]["returning_d30"]) == (4, 1)
    assert kpis["service"]["links_followed"] is None
    assert kpis["product"]["ideas_received"] == 1


def test_kpis_as_a_table(world: KpiWorld, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kpis", "--month", "2026-11", *STAGE)
    lines = {line.split("  ")[1].strip(): line.split("  ", 2)[-1].strip() for line in out.splitlines() if "  " in line}
    assert code == 0
    assert out.startswith("KPIs 2026-11 (2026-11-01 to 2026-11-30, Europe/Warsaw)")
    assert lines["first response median / p90"] == "1 h 45 min / 2 h 45 min"  # p90: 1800 + 0.9 x 9000 s
    assert lines["escalations by team"] == "support 1"
    assert lines["active participants (new)"] == "4 (3)"
    assert lines["links followed"] == "unknown (unknown: no click source configured)"


def test_a_period_of_days_and_a_click_export(
    world: KpiWorld, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clicks = tmp_path / "clicks.csv"
    clicks.write_text("date,utm_content,clicks\n2026-11-18,pl-withdrawal-time,3\n2026-11-25,pl-withdrawal-time,8\n")
    code, out, _ = run(
        capsys, "kpis", "--from", "2026-11-16", "--to", "2026-11-22", "--clicks-csv", str(clicks), "--json", *STAGE
    )
    kpis = json.loads(out)
    assert code == 0
    assert (kpis["community"]["comments"], kpis["service"]["links_followed"]) == (5, 3)


def test_report_writes_one_page_with_the_charts(
    world: KpiWorld, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "report.html"
    code, out, _ = run(capsys, "report", "--month", "2026-11", "--out", str(target), *STAGE)
    html = target.read_text(encoding="utf-8")
    assert code == 0
    assert out.startswith(f"wrote {target}: first response median 1 h 45 min, 33% within SLA, 4 participants")
    assert html.count("<svg") == 4
    assert "November 2026" in html


def test_mistakes_are_told_with_exit_code_2(
    world: KpiWorld, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CASES_TABLE", "IDEAS_TABLE", "ACTIVITY_TABLE"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(capsys, "kpis", "--month", "2026-11")
    assert (code, "which deployment?" in err) == (2, True)
    code, _, err = run(capsys, "kpis", "--month", "2026-11", "--from", "2026-11-01", *STAGE)
    assert (code, "either --month" in err) == (2, True)
    code, _, err = run(capsys, "report", "--month", "2026-13", *STAGE)
    assert (code, "YYYY-MM" in err) == (2, True)
