"""Renders a month's post (Markdown and HTML per language), the channel teasers and each author's notification."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from replyloop.reactions.templates import fits
from replyloop.summary.content import AuthorThread, MonthContent, ShippedItem
from replyloop.summary.links import expand, tracked
from replyloop.summary.months import month_index
from replyloop.summary.policy import SummaryPolicy
from replyloop.summary.templates import LanguageTemplates, Wording, fill

__all__ = ["RenderedPost", "Renderer", "markdown_escape"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
TITLE_SHORT_CHARS = 40


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written (a title's `*` or `[` never becomes emphasis or a link)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _html_escape(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True, slots=True)
class _Format:
    esc: Callable[[str], str]
    bullet: str
    list_open: str
    list_close: str


_MARKDOWN = _Format(markdown_escape, "- {}", "", "")
_HTML = _Format(_html_escape, "  <li>{}</li>", "<ul>", "</ul>")


@dataclass(frozen=True, slots=True)
class RenderedPost:
    lang: str
    markdown: str
    html: str


class Renderer:
    """Every link gets UTM parameters: the post's own (website), a channel's and a thanks' (the platform)."""

    def __init__(self, policy: SummaryPolicy, templates: Mapping[str, LanguageTemplates]) -> None:
        self._policy = policy
        self._templates = dict(templates)

    def wording(self, lang: str) -> Wording:
        return self._templates[lang].wording

    # -- links ----------------------------------------------------------------------------

    def campaign(self, month: str) -> str:
        return expand(self._policy.utm.campaign, month=month)

    def post_link(self, month: str, lang: str, *, source: str, content: str) -> str:
        url = expand(self._policy.post_url, lang=lang, month=month)
        utm = self._policy.utm
        return tracked(url, source=source, medium=utm.social_medium, campaign=self.campaign(month), content=content)

    def cta_link(self, month: str, lang: str, *, source: str | None = None) -> str:
        url = expand(self._policy.cta_url, lang=lang, month=month)
        utm = self._policy.utm
        medium = utm.social_medium if source else utm.post_medium
        return tracked(
            url, source=source or utm.post_source, medium=medium, campaign=self.campaign(month), content="cta"
        )

    # -- the post -------------------------------------------------------------------------

    def post(self, content: MonthContent, lang: str) -> RenderedPost:
        return RenderedPost(lang, self._document(content, lang, _MARKDOWN), self._document(content, lang, _HTML))

    def _document(self, content: MonthContent, lang: str, form: _Format) -> str:
        templates = self._templates[lang]
        words = templates.wording
        month = content.month
        esc = form.esc
        months = self._month_values(words, month)
        intro = words.intro if content.shipped else words.intro_nothing_shipped
        owner = self._policy.owner
        values = {
            "header": self._header(words, form),
            "month_title": esc(months["month_title"]),
            "month_in": esc(months["month_in"]),
            "intro": fill(intro, {**{k: esc(v) for k, v in months.items()}, "shipped": str(len(content.shipped))}, esc),
            "shipped_list": self._shipped(content, lang, form, months),
            "received": str(content.received),
            "shipped": str(len(content.shipped)),
            "planned_list": self._planned(content, words, form, months),
            "cta_text": esc(words.cta_text),
            "cta_label": esc(words.cta_label),
            "cta_link": esc(self.cta_link(month, lang)) if form is _HTML else self.cta_link(month, lang),
            "owner": fill(words.owner, {"owner_name": esc(owner.name), "owner_contact": esc(owner.contact)}, esc),
            "lang": lang,
            "month": month,
        }
        skeleton = templates.html if form is _HTML else templates.markdown
        text = fill(skeleton, values)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def _header(self, words: Wording, form: _Format) -> str:
        src = self._policy.header_image
        if not src:
            return ""
        if form is _HTML:
            return f'<img src="{_html_escape(src)}" alt="{_html_escape(words.header_alt)}">'
        return f"![{markdown_escape(words.header_alt)}]({src})"

    def _shipped(self, content: MonthContent, lang: str, form: _Format, months: dict[str, str]) -> str:
        words = self.wording(lang)
        if not content.shipped:
            return self._paragraph(
                fill(words.shipped_empty, {k: form.esc(v) for k, v in months.items()}, form.esc), form
            )
        lines = []
        for item in content.shipped:
            values = {
                "title": self._strong(item.title, form),
                "number": str(item.number),
                "partner": self._partner(item, words, form),
                "note": form.esc(item.note(lang)),
                "thanks": form.esc(self.thanks(item, words)),
            }
            lines.append(form.bullet.format(fill(words.shipped_item, values, form.esc)))
        return self._list(lines, form)

    def _planned(self, content: MonthContent, words: Wording, form: _Format, months: dict[str, str]) -> str:
        if not content.planned:
            return self._paragraph(
                fill(words.planned_empty, {k: form.esc(v) for k, v in months.items()}, form.esc), form
            )
        lines = [
            form.bullet.format(
                fill(
                    words.planned_item,
                    {"title": self._strong(p.title, form), "number": str(p.number), "votes": str(p.votes)},
                    form.esc,
                )
            )
            for p in content.planned
        ]
        return self._list(lines, form)

    def thanks(self, item: ShippedItem, words: Wording) -> str:
        """Handles where public, the others counted (plain text: the caller escapes it)."""
        handles = ", ".join(item.handles)
        if handles and item.others == 0:
            return fill(words.thanks_handles, {"handles": handles})
        if handles:
            template = words.thanks_handles_and_one if item.others == 1 else words.thanks_handles_and_many
            return fill(template, {"handles": handles, "others": str(item.others)})
        if item.others == 0:
            return ""
        return fill(words.thanks_one if item.others == 1 else words.thanks_many, {"others": str(item.others)})

    @staticmethod
    def _strong(text: str, form: _Format) -> str:
        return f"<strong>{_html_escape(text)}</strong>" if form is _HTML else f"**{markdown_escape(text)}**"

    @staticmethod
    def _partner(item: ShippedItem, words: Wording, form: _Format) -> str:
        if item.partner is None:
            return ""
        label = words.partner_label + (f": {item.partner}" if item.partner else "")
        return f" <em>({_html_escape(label)})</em>" if form is _HTML else f" *({markdown_escape(label)})*"

    @staticmethod
    def _list(lines: list[str], form: _Format) -> str:
        return "\n".join(filter(None, [form.list_open, *lines, form.list_close]))

    @staticmethod
    def _paragraph(text: str, form: _Format) -> str:
        return f"<p>{text}</p>" if form is _HTML else text

    @staticmethod
    def _month_values(words: Wording, month: str) -> dict[str, str]:
        index = month_index(month) - 1
        return {"month_title": f"{words.month_names[index]} {month[:4]}", "month_in": words.month_in[index]}

    # -- channels and authors (plain text) ------------------------------------------------------

    def teaser(self, content: MonthContent, lang: str, platform: str) -> str:
        words = self.wording(lang)
        values = {
            **self._month_values(words, content.month),
            "shipped": str(len(content.shipped)),
            "received": str(content.received),
            "post_link": self.post_link(content.month, lang, source=platform, content="channel-post"),
            "cta_link": self.cta_link(content.month, lang, source=platform),
        }
        return fill(words.teaser, values)

    def notification(self, item: ShippedItem, author: AuthorThread, month: str) -> str:
        """The thanks under the author's own comment, in their language, fitted to the platform's limit."""
        words = self.wording(author.lang)
        values = {
            **self._month_values(words, month),
            "title": item.title,
            "number": str(item.number),
            "post_link": self.post_link(month, author.lang, source=author.platform, content="author-thanks"),
        }
        text = fill(words.notification, values)
        if not fits(text, author.platform) and len(item.title) > TITLE_SHORT_CHARS:
            text = fill(words.notification, {**values, "title": item.title[: TITLE_SHORT_CHARS - 1].rstrip() + "…"})
        return text
