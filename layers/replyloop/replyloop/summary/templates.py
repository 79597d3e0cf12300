"""The post's templates as data: per language a Markdown and an HTML skeleton and the wordings (summary/<lang>.*).

Templates use `$name` placeholders (string.Template). Every placeholder is checked against what
its template may use when the files are loaded, so a typo fails the deployment, not the post.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from string import Template

from pydantic import BaseModel, ConfigDict, Field, model_validator

from replyloop.data import data_path, load_json

__all__ = ["POST_FIELDS", "LanguageTemplates", "Wording", "fill", "load_templates", "placeholders"]

# What each template may use.
POST_FIELDS = frozenset(
    {"header", "month_title", "month_in", "intro", "shipped_list", "received", "shipped", "planned_list"}
    | {"cta_text", "cta_label", "cta_link", "owner", "lang", "month"}
)
_MONTH = {"month_title", "month_in"}
WORDING_FIELDS: dict[str, frozenset[str]] = {
    "intro": frozenset(_MONTH | {"shipped"}),
    "intro_nothing_shipped": frozenset(_MONTH),
    "shipped_item": frozenset({"title", "number", "partner", "note", "thanks"}),
    "shipped_empty": frozenset(_MONTH),
    "thanks_handles": frozenset({"handles"}),
    "thanks_handles_and_one": frozenset({"handles"}),
    "thanks_handles_and_many": frozenset({"handles", "others"}),
    "thanks_one": frozenset(),
    "thanks_many": frozenset({"others"}),
    "planned_item": frozenset({"title", "number", "votes"}),
    "planned_empty": frozenset(_MONTH),
    "partner_label": frozenset(),
    "cta_text": frozenset(),
    "cta_label": frozenset(),
    "owner": frozenset({"owner_name", "owner_contact"}),
    "header_alt": frozenset(),
    "teaser": frozenset(_MONTH | {"shipped", "received", "post_link", "cta_link"}),
    "notification": frozenset(_MONTH | {"title", "number", "post_link"}),
}


def placeholders(template: str) -> set[str]:
    """The `$names` a template uses; raises ValueError on a malformed `$`."""
    parsed = Template(template)
    if not parsed.is_valid():
        raise ValueError(f"malformed $ placeholder in {template[:60]!r} (write $$ for a dollar sign)")
    return set(parsed.get_identifiers())


def fill(template: str, values: Mapping[str, str], escape: Callable[[str], str] = str) -> str:
    """Substitute `$names`: the template's own text is escaped for the output, the values go in as they are.

    Values are already formatted for the output (escaped, bold, links), so a title with `*` or `<`
    can never turn into markup, and wording with `&` stays valid HTML.
    """
    out: list[str] = []
    last = 0
    for found in Template.pattern.finditer(template):
        out.append(escape(template[last : found.start()]))
        name = found.group("named") or found.group("braced")
        if found.group("escaped") is not None:
            out.append(escape("$"))
        elif name is not None:
            out.append(values[name])
        else:
            raise ValueError(f"malformed $ placeholder in {template[:60]!r}")
        last = found.end()
    out.append(escape(template[last:]))
    return "".join(out)


class Wording(BaseModel):
    """One language's sentences (summary/<lang>.json); see WORDING_FIELDS for the placeholders of each."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    month_names: tuple[str, ...] = Field(min_length=12, max_length=12)
    month_in: tuple[str, ...] = Field(min_length=12, max_length=12, description="'in November', 'w listopadzie'.")
    intro: str
    intro_nothing_shipped: str
    shipped_item: str
    shipped_empty: str
    thanks_handles: str
    thanks_handles_and_one: str
    thanks_handles_and_many: str
    thanks_one: str
    thanks_many: str
    planned_item: str
    planned_empty: str
    partner_label: str = Field(min_length=2, description="Marks partner content: 'Reklama', 'Ad', 'Partner'.")
    cta_text: str
    cta_label: str
    owner: str
    header_alt: str
    teaser: str
    notification: str

    @model_validator(mode="after")
    def _placeholders(self) -> Wording:
        for name, allowed in WORDING_FIELDS.items():
            unknown = placeholders(getattr(self, name)) - allowed
            if unknown:
                raise ValueError(f"{name}: unknown placeholders {sorted(unknown)}; allowed: {sorted(allowed)}")
        return self


@dataclass(frozen=True, slots=True)
class LanguageTemplates:
    lang: str
    markdown: str
    html: str
    wording: Wording


def _skeleton(path: str) -> str:
    text = data_path(path).read_text(encoding="utf-8")
    unknown = placeholders(text) - POST_FIELDS
    if unknown:
        raise ValueError(f"{path}: unknown placeholders {sorted(unknown)}; allowed: {sorted(POST_FIELDS)}")
    return text


def load_templates(languages: Iterable[str]) -> dict[str, LanguageTemplates]:
    """summary/<lang>.md, .html and .json for each language (the deployment's files first), validated."""
    return {
        lang: LanguageTemplates(
            lang=lang,
            markdown=_skeleton(f"summary/{lang}.md"),
            html=_skeleton(f"summary/{lang}.html"),
            wording=Wording.model_validate(load_json(f"summary/{lang}.json")),
        )
        for lang in languages
    }
