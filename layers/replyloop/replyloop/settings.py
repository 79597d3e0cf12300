"""Each function's settings: a validated model read once per container from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ActivitySettings",
    "ClassifySettings",
    "IdeasSettings",
    "IngestSettings",
    "KpiDigestSettings",
    "ReactSettings",
    "SlaCloseSettings",
    "SlaOpenSettings",
    "SummarySettings",
    "load_settings",
]

_Settings = TypeVar("_Settings", bound=BaseModel)


class IngestSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    platform_secrets_arn: str
    idempotency_table: str


class ReactSettings(BaseModel):
    """The react function; base URLs are overridden only to point the clients at a local fake."""

    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    idempotency_table: str
    rate_limit_table: str
    reactions_dlq_url: str
    platform_secrets_arn: str
    reactions_mode: Literal["dry-run", "live"] = "dry-run"
    graph_api_base_url: str = "https://graph.facebook.com/v23.0"
    telegram_api_base_url: str = "https://api.telegram.org"
    x_api_base_url: str = "https://api.x.com"
    platform_timeout_seconds: float = Field(default=4.0, gt=0)
    platform_max_attempts: int = Field(default=3, ge=1, le=5)
    platform_backoff_seconds: float = Field(default=0.5, ge=0)


class ClassifySettings(BaseModel):
    """The classify function; the second opinion is off unless a deployment turns it on."""

    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    idempotency_table: str
    classifier_second_opinion: Literal["off", "comprehend", "bedrock"] = "off"
    classifier_second_opinion_below: float = Field(default=0.55, ge=0.0, le=1.0)
    bedrock_model_id: str | None = None


class SlaOpenSettings(BaseModel):
    """The sla_open function: where cases live and which state machine times them."""

    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    cases_table: str
    sla_state_machine_arn: str


class SlaCloseSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    cases_table: str


class IdeasSettings(BaseModel):
    """The ideas function, the admin API and the CLI: the backlog table and the bus its events go to."""

    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    ideas_table: str


class ActivitySettings(BaseModel):
    """The activity function: where comments and authors are filed, and the secret of the author keys."""

    model_config = ConfigDict(frozen=True)

    activity_table: str
    kpi_pseudonym_secret_arn: str


class KpiDigestSettings(BaseModel):
    """The weekly digest: the tables the KPIs are computed from, and the bus the digest goes to."""

    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    activity_table: str
    cases_table: str
    ideas_table: str


class SummarySettings(BaseModel):
    """The summary function: the backlog table (also its month records), the post's bucket, dry-run or live."""

    model_config = ConfigDict(frozen=True)

    event_bus_name: str
    ideas_table: str
    summary_bucket: str
    summary_mode: Literal["dry-run", "live"] = "dry-run"
    platform_secrets_arn: str | None = Field(default=None, description="Needed in live mode only.")
    graph_api_base_url: str = "https://graph.facebook.com/v23.0"
    telegram_api_base_url: str = "https://api.telegram.org"
    x_api_base_url: str = "https://api.x.com"
    platform_timeout_seconds: float = Field(default=4.0, gt=0)
    platform_max_attempts: int = Field(default=3, ge=1, le=5)
    platform_backoff_seconds: float = Field(default=0.5, ge=0)


def load_settings(model: type[_Settings], environ: Mapping[str, str] | None = None) -> _Settings:
    """Fields are the lower-case names of the environment variables (a contract in DESIGN.md)."""
    env = os.environ if environ is None else environ
    values = {name: env[name.upper()] for name in model.model_fields if name.upper() in env}
    return model.model_validate(values)
