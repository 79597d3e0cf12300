"""What the classifier says about a comment (a contract: consumers route on these fields)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Label = Literal["question", "complaint", "idea", "praise", "toxic", "spam", "sensitive", "other"]
LABELS: tuple[Label, ...] = ("question", "complaint", "idea", "praise", "toxic", "spam", "sensitive", "other")
Priority = Literal["low", "normal", "high", "urgent"]
Team = Literal["support", "compliance", "community", "moderation", "product"]


class Classification(BaseModel):
    """One label for a comment, with the evidence behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Label
    scores: dict[Label, float] = Field(description="Score per label in [0, 1]; the label has the highest.")
    confidence: float = Field(ge=0.0, le=1.0)
    lang: str = Field(description="ISO 639-1 code ('pl', 'en') or 'und' when undetermined.")
    reasons: list[str] = Field(description="What fired, e.g. 'lexicon:pl:complaint:nie dziala'.")
    needs_response: bool = Field(description="A person must answer: opens an SLA case.")
    priority: Priority
    team: Team = Field(description="Who answers or acts when a person is needed.")
    second_opinion: str | None = Field(default=None, description="The backend consulted, if any.")
