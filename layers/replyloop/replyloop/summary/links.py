"""Links in a post: tagging them with UTM parameters, and finding every link and image in Markdown, HTML or text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from string import Template
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["UTM_KEYS", "Image", "Links", "expand", "find_links", "missing_utm", "tracked"]

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")


def expand(url_template: str, **values: str) -> str:
    """A configured URL with `$lang` / `$month` filled in."""
    return Template(url_template).safe_substitute(values)


def tracked(url: str, *, source: str, medium: str, campaign: str, content: str) -> str:
    """`url` with UTM parameters (any it had are replaced), so each visit counts per channel and link."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    query += [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign), ("utm_content", content)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def missing_utm(url: str) -> list[str]:
    """The UTM parameters a link lacks (or has empty)."""
    present = {k for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if v.strip()}
    return [key for key in UTM_KEYS if key not in present]


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    alt: str


@dataclass
class Links:
    """What a document links to (images excluded) and the images it shows."""

    links: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = Links()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.found.images.append(Image(values.get("src") or "", (values.get("alt") or "").strip()))
        elif tag == "a" and values.get("href"):
            self.found.links.append(str(values["href"]))

    def handle_data(self, data: str) -> None:
        self.found.links.extend(_URL.findall(data))


def find_links(text: str, kind: str) -> Links:
    """Links and images of a document of `kind` markdown, html or text (Markdown may hold inline HTML)."""
    if kind == "html":
        parser = _Html()
        parser.feed(text)
        parser.close()
        return parser.found
    found = Links()
    if kind == "markdown":
        found.images = [Image(src, alt.strip()) for alt, src in _MD_IMAGE.findall(text)]
        text = _MD_IMAGE.sub(" ", text)
        inline = _Html()
        inline.feed(re.sub(r"<(?!/?(a|img)\b)", "&lt;", text))  # only tags that carry links or images
        inline.close()
        found.images += inline.found.images
        found.links = inline.found.links
        return found
    found.links = _URL.findall(text)
    return found
