"""The pre-publication checklist, run on every rendered document of the month; its result is stored with the post.

Rules (each can be disabled in summary/policy.json; a failure blocks publication when enforced):

- next_step: the document links to the call to action (propose the next idea);
- utm_links: every link carries utm_source, utm_medium and utm_campaign (images are not links);
- partner_label: where the month has partner content, the post shows the partner label for each item;
- image_alt: every image (Markdown or <img>) has a non-empty alt text;
- owner: the post names who answers questions about it, and how to reach them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict

from replyloop.summary.links import find_links, missing_utm
from replyloop.summary.policy import Owner

__all__ = ["Check", "ChecklistResult", "Document", "run_checklist"]

DocumentKind = Literal["markdown", "html", "text"]
SHOWN_OFFENDERS = 3


@dataclass(frozen=True, slots=True)
class Document:
    """`post` documents are the monthly post itself; the others (channel teasers) only point to it."""

    name: str
    lang: str
    kind: DocumentKind
    text: str
    post: bool = True


class Check(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    document: str
    passed: bool
    detail: str


class ChecklistResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    passed: bool
    enforced: bool
    checks: list[Check]

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def reasons(self) -> list[str]:
        return [f"{check.document}: {check.rule}: {check.detail}" for check in self.failures]


def _plain(document: Document) -> str:
    """The text as a reader sees it (no Markdown escapes, no HTML entities), for finding names and labels."""
    if document.kind == "html":
        return html.unescape(re.sub(r"<[^>]+>", " ", document.text))
    if document.kind == "markdown":
        return re.sub(r"\\(.)", r"\1", document.text)
    return document.text


def _base(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def _next_step(document: Document, cta: Mapping[str, str], **_: object) -> tuple[bool, str]:
    wanted = _base(cta[document.lang])
    if any(_base(link) == wanted for link in find_links(document.text, document.kind).links):
        return True, f"links to the call to action {wanted}"
    return False, f"no link to the call to action {wanted}: every post invites a next step"


def _utm_links(document: Document, **_: object) -> tuple[bool, str]:
    links = find_links(document.text, document.kind).links
    offenders = [f"{link} (no {', '.join(missing)})" for link in links if (missing := missing_utm(link))]
    if offenders:
        shown = "; ".join(offenders[:SHOWN_OFFENDERS]) + (" …" if len(offenders) > SHOWN_OFFENDERS else "")
        return False, f"{len(offenders)} of {len(links)} links lack UTM parameters: {shown}"
    return True, f"{len(links)} links, all with UTM parameters"


def _partner_label(document: Document, partner_items: int, labels: Mapping[str, str], **_: object) -> tuple[bool, str]:
    if not partner_items:
        return True, "no partner content"
    label = labels[document.lang]
    shown = len(re.findall(rf"(?<!\w){re.escape(label)}(?!\w)", _plain(document)))
    if shown < partner_items:
        return False, f"{partner_items} partner item(s) but the label {label!r} appears {shown} time(s)"
    return True, f"{partner_items} partner item(s) labelled {label!r}"


def _image_alt(document: Document, **_: object) -> tuple[bool, str]:
    images = find_links(document.text, document.kind).images
    bare = [image.src or "(no src)" for image in images if not image.alt]
    if bare:
        return False, f"{len(bare)} image(s) without alt text: {', '.join(bare[:SHOWN_OFFENDERS])}"
    return True, f"{len(images)} image(s), all with alt text"


def _owner(document: Document, owner: Owner, **_: object) -> tuple[bool, str]:
    if not owner.name.strip() or not owner.contact.strip():
        return False, "no owner configured (summary/policy.json owner.name and owner.contact)"
    text = _plain(document)
    missing = [what for what, value in (("name", owner.name), ("contact", owner.contact)) if value not in text]
    if missing:
        return False, f"the owner's {' and '.join(missing)} ({owner.name}, {owner.contact}) not in the post"
    return True, f"questions go to {owner.name} ({owner.contact})"


# rule -> (check, applies to channel teasers too)
_RULES = {
    "next_step": (_next_step, True),
    "utm_links": (_utm_links, True),
    "partner_label": (_partner_label, False),
    "image_alt": (_image_alt, True),
    "owner": (_owner, False),
}


def run_checklist(
    documents: Iterable[Document],
    *,
    cta: Mapping[str, str],
    partner_items: int,
    partner_labels: Mapping[str, str],
    owner: Owner,
    enforce: bool = True,
    disabled: Iterable[str] = (),
) -> ChecklistResult:
    """Every enabled rule on every document it applies to; `cta` and `partner_labels` are by language."""
    skip = set(disabled)
    checks = []
    for document in documents:
        for rule, (check, on_teasers) in _RULES.items():
            if rule in skip or not (document.post or on_teasers):
                continue
            passed, detail = check(document, cta=cta, partner_items=partner_items, labels=partner_labels, owner=owner)
            checks.append(Check(rule=rule, document=document.name, passed=passed, detail=detail))
    return ChecklistResult(passed=all(check.passed for check in checks), enforced=enforce, checks=checks)
