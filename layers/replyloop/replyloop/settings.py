"""Each function's settings: a validated model read once per container from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = ["IngestSettings", "load_settings"]

_Settings = TypeVar("_Settings", bound=BaseModel)


class IngestSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    platform_secrets_arn: str
    idempotency_table: str


def load_settings(model: type[_Settings], environ: Mapping[str, str] | None = None) -> _Settings:
    """Fields are the lower-case names of the environment variables (a contract in DESIGN.md)."""
    env = os.environ if environ is None else environ
    values = {name: env[name.upper()] for name in model.model_fields if name.upper() in env}
    return model.model_validate(values)
