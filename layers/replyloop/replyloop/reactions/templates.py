"""Reply templates per language (reactions/templates.json), rendered and fitted to each platform's length limit."""

from __future__ import annotations

import re
import string
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.data import load_json

__all__ = ["PLATFORM_LIMITS", "Rendered", "Templates", "fits", "platform_length"]

TEMPLATES_FILE = "reactions/templates.json"
# Characters a platform accepts in one reply; X counts every URL as 23 (t.co).
PLATFORM_LIMITS: dict[str, int] = {"x": 280, "instagram": 2200, "telegram": 4096, "facebook": 8000, "generic": 2000}
X_URL_LENGTH = 23
_URL = re.compile(r"https?://\S+")
_ELLIPSIS = "…"

# The placeholders each kind of template may use (checked when the file is loaded).
FIELDS: dict[str, frozenset[str]] = {
    "faq_answer": frozenset({"answer", "link"}),
    "help_route": frozenset({"resources"}),
    "idea_thanks": frozenset({"number"}),
    "idea_vote_thanks": frozenset({"number"}),
    "praise_thanks": frozenset(),
    "rules_reminder": frozenset({"rules_link"}),
}


class Template(BaseModel):
    """One wording; `text_with_ref` is used instead of `text` when an idea's backlog `{number}` is known."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+\.[a-z]{2}\.[a-z0-9-]+$")
    text: str = Field(min_length=10)
    text_with_ref: str | None = None


class LanguageTemplates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    faq_answer: tuple[Template, ...] = Field(min_length=1)
    help_route: tuple[Template, ...] = Field(min_length=1)
    idea_thanks: tuple[Template, ...] = Field(min_length=1)
    # Optional, so that an older override file keeps working: idea_thanks (with its number) is used instead.
    idea_vote_thanks: tuple[Template, ...] = ()
    praise_thanks: tuple[Template, ...] = Field(min_length=1)
    rules_reminder: tuple[Template, ...] = Field(min_length=1)
    rules_link: str = Field(pattern=r"^https://")

    @model_validator(mode="after")
    def _placeholders(self) -> LanguageTemplates:
        for kind, allowed in FIELDS.items():
            for template in getattr(self, kind):
                for text in filter(None, (template.text, template.text_with_ref)):
                    used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
                    if used - allowed:
                        raise ValueError(f"{template.id}: unknown placeholders {sorted(used - allowed)}")
                if kind == "idea_thanks" and "{number}" in template.text:
                    raise ValueError(f"{template.id}: `text` must read well without a backlog number")
                if kind == "idea_vote_thanks" and "{number}" not in template.text:
                    raise ValueError(f"{template.id}: a vote thanks names the idea's {{number}}")
        return self


@dataclass(frozen=True, slots=True)
class Rendered:
    template_id: str
    text: str


def platform_length(text: str, platform: str) -> int:
    """Length as the platform counts it (X: a URL is 23 characters whatever its length)."""
    if platform == "x":
        return len(_URL.sub("x" * X_URL_LENGTH, text))
    return len(text)


def fits(text: str, platform: str) -> bool:
    return platform_length(text, platform) <= PLATFORM_LIMITS.get(platform, PLATFORM_LIMITS["generic"])


def _shorten(text: str, platform: str) -> str:
    """Cut the words before a trailing link (or at the end) so that the text fits; the link survives."""
    urls = _URL.findall(text)
    tail = f" {urls[-1]}" if urls and text.endswith(urls[-1]) else ""
    body = text[: len(text) - len(tail)] if tail else text
    while body and not fits(body.rstrip() + _ELLIPSIS + tail, platform):
        body = body.rsplit(" ", 1)[0] if " " in body.strip() else body[:-1]
    return body.rstrip() + _ELLIPSIS + tail


class Templates:
    """The wordings of every language; a variant is picked by a stable hash, so a redelivery says the same."""

    def __init__(self, languages: Mapping[str, LanguageTemplates]) -> None:
        self._languages = dict(languages)

    @classmethod
    def load(cls) -> Templates:
        raw = load_json(TEMPLATES_FILE)
        return cls({lang: LanguageTemplates.model_validate(value) for lang, value in raw.items()})

    @property
    def languages(self) -> list[str]:
        return list(self._languages)

    def of(self, lang: str) -> LanguageTemplates:
        return self._languages[lang]

    def render(
        self,
        kind: str,
        lang: str,
        *,
        platform: str,
        seed: str,
        fields: Mapping[str, str] | None = None,
        resources: Sequence[str] = (),
    ) -> Rendered:
        """The text of `kind` in `lang` for `platform`, fitted to its limit.

        Help `resources` fill `{resources}`; the last ones are dropped first when the
        text is too long, and only then is the text itself shortened.
        """
        variants: tuple[Template, ...] = getattr(self.of(lang), kind)
        template = variants[zlib.crc32(seed.encode("utf-8")) % len(variants)]
        values = {"rules_link": self.of(lang).rules_link, **(fields or {})}
        wording = template.text_with_ref if values.get("number") and template.text_with_ref else template.text
        kept = list(resources)
        text = wording.format(**values, resources="; ".join(kept))
        while not fits(text, platform) and len(kept) > 1:
            kept.pop()
            text = wording.format(**values, resources="; ".join(kept))
        return Rendered(template.id, text if fits(text, platform) else _shorten(text, platform))
