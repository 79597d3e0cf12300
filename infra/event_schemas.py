"""Generates the JSON Schema of every bus event detail from its pydantic model (`make schemas`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from replyloop.models.registry import DETAIL_TYPES

SCHEMA_DIR = Path(__file__).parent / "schemas"


def rendered() -> dict[Path, str]:
    """File name -> schema text, one per (source, detail-type)."""
    files = {}
    for detail_type, model in sorted(DETAIL_TYPES.items()):
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"replyloop/{model.source}/{detail_type}"
        schema["x-source"] = model.source
        files[SCHEMA_DIR / f"{model.source}.{detail_type}.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return files


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for path, text in rendered().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
