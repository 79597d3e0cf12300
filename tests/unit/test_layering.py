"""The layering of the layer: the domain imports no AWS; handlers stay thin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers" / "replyloop" / "replyloop"
AWS_MODULES = ("boto3", "botocore", "aws_lambda_powertools", "aws_xray_sdk")
DOMAIN = [path for path in PACKAGE.rglob("*.py") if "adapters" not in path.relative_to(PACKAGE).parts]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_imports_no_aws(path: Path) -> None:
    aws = sorted(name for name in _imports(path) if name.split(".")[0] in AWS_MODULES)
    assert aws == [], f"{path.name} imports {aws}: move AWS access to replyloop.adapters"


def test_the_check_sees_the_domain() -> None:
    assert PACKAGE / "ingest" / "intake.py" in DOMAIN
    assert "boto3" in _imports(PACKAGE / "adapters" / "aws.py")


@pytest.mark.parametrize("path", sorted(ROOT.glob("functions/*/app.py")), ids=lambda p: p.parent.name)
def test_handlers_are_thin(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) <= 120, f"{path} has {len(lines)} lines: move logic into the layer"


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(path.relative_to(ROOT))
        for base in ("layers/replyloop/replyloop", "functions", "infra")
        for path in (ROOT / base).rglob("*.py")
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert missing == []
