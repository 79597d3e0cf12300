"""Help resources per language and topic (reactions/help_resources.json): deployment configuration, verified locally."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.data import load_json
from replyloop.reactions.matching import PhraseMatcher

__all__ = ["HelpDirectory", "HelpResource"]

HELP_FILE = "reactions/help_resources.json"


class HelpResource(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    contact: str = Field(description="A phone number or a web address.")

    def line(self) -> str:
        return f"{self.name}: {self.contact}"


class _Topic(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    triggers: tuple[str, ...] = Field(description="Words or phrases (folded, `*` = prefix) that point to the topic.")
    resources: tuple[HelpResource, ...] = Field(min_length=1)


class _LanguageHelp(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    verified: bool = Field(description="Set to true once the deployment has checked every number and link.")
    topics: dict[str, _Topic]
    order: tuple[str, ...] = Field(description="Topics in the order their resources are listed (most urgent first).")
    default_topics: tuple[str, ...] = Field(min_length=1, description="When no trigger matches.")

    @model_validator(mode="after")
    def _known_topics(self) -> Self:
        unknown = (set(self.order) | set(self.default_topics)) - set(self.topics)
        if unknown or set(self.order) != set(self.topics):
            raise ValueError(f"order/default_topics must name every topic exactly: {sorted(unknown)}")
        return self


class HelpDirectory:
    """Picks the resources that fit a comment: triggered topics first by urgency, else the defaults."""

    def __init__(self, languages: dict[str, _LanguageHelp]) -> None:
        self._languages = languages
        self._matchers = {
            lang: PhraseMatcher({topic: spec.triggers for topic, spec in help_.topics.items()})
            for lang, help_ in languages.items()
        }

    @classmethod
    def load(cls) -> HelpDirectory:
        return cls({lang: _LanguageHelp.model_validate(value) for lang, value in load_json(HELP_FILE).items()})

    @property
    def languages(self) -> list[str]:
        return list(self._languages)

    def verified(self, lang: str) -> bool:
        return self._languages[lang].verified

    def topics_for(self, text: str, lang: str) -> list[str]:
        help_ = self._languages[lang]
        # Triggers of every language count: someone may write in one language and get help in another.
        found = {topic for matcher in self._matchers.values() for topic in matcher.groups_in(text)}
        chosen = found & set(help_.topics) or set(help_.default_topics)
        return [topic for topic in help_.order if topic in chosen]

    def resources_for(self, text: str, lang: str) -> list[HelpResource]:
        help_ = self._languages[lang]
        return [resource for topic in self.topics_for(text, lang) for resource in help_.topics[topic].resources]
