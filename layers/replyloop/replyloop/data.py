"""Brand and policy data files (lexicons, FAQ, templates, policies): packaged defaults, overridable per deployment.

A deployment overrides any file by putting one with the same relative path in the
directory named by REPLYLOOP_DATA_DIR (for example a second layer mounted at
/opt/replyloop-data); everything else falls back to the files shipped in
`replyloop/data/`.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["PACKAGED_DATA", "clear_cache", "data_path", "load_json", "override_dir"]

PACKAGED_DATA = Path(__file__).parent / "data"
OVERRIDE_ENV = "REPLYLOOP_DATA_DIR"


def override_dir() -> str | None:
    """The deployment's data directory, if any: a cheap cache key for data compiled from these files."""
    return os.environ.get(OVERRIDE_ENV) or None


def data_path(relative: str) -> Path:
    """The deployment's file if it has one, else the packaged default."""
    override = override_dir()
    if override:
        candidate = Path(override) / relative
        if candidate.is_file():
            return candidate
    return PACKAGED_DATA / relative


@cache
def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_json(relative: str) -> Any:
    """Parsed JSON, read once per container per file."""
    return _load(data_path(relative))


def clear_cache() -> None:
    """Forget the files read so far (tests that swap REPLYLOOP_DATA_DIR or rewrite a file)."""
    _load.cache_clear()
