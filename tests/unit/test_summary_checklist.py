"""The pre-publication checklist: each rule passing and failing, on Markdown, HTML and channel text."""

from __future__ import annotations

import pytest

from replyloop.summary import Document, run_checklist
from replyloop.summary.policy import Owner

pytestmark = pytest.mark.unit

CTA = "https://example.com/pl/ideas/new"
UTM = "utm_source=website&utm_medium=monthly-post&utm_campaign=you-asked-we-did-2026-11"
OWNER = Owner(name="Anna Kowalska", contact="community@example.com")
GOOD_MD = (
    "![Grafika](https://example.com/a.png)\n\n- **Tryb ciemny** *(Reklama)*\n\n"
    f"[Zgłoś pomysł]({CTA}?{UTM}&utm_content=cta)\n\nOdpowiada Anna Kowalska (community@example.com).\n"
)
GOOD_HTML = (
    '<img src="https://example.com/a.png" alt="Grafika"><ul><li>Tryb ciemny <em>(Reklama)</em></li></ul>'
    f'<a href="{CTA}?{UTM.replace("&", "&amp;")}">Zgłoś</a><p>Odpowiada Anna Kowalska (community@example.com).</p>'
)


def _check(text: str, kind: str = "markdown", *, post: bool = True, partner_items: int = 0, owner: Owner = OWNER):
    document = Document(f"pl.{kind}", "pl", kind, text, post=post)  # type: ignore[arg-type]
    result = run_checklist(
        [document], cta={"pl": f"{CTA}?x=1"}, partner_items=partner_items, partner_labels={"pl": "Reklama"}, owner=owner
    )
    return result, {check.rule: check for check in result.checks}


@pytest.mark.parametrize(("text", "kind"), [(GOOD_MD, "markdown"), (GOOD_HTML, "html")])
def test_a_good_post_passes_every_rule(text: str, kind: str) -> None:
    result, checks = _check(text, kind, partner_items=1)
    assert result.passed, result.reasons()
    assert set(checks) == {"next_step", "utm_links", "partner_label", "image_alt", "owner"}


def test_next_step_needs_a_link_to_the_call_to_action() -> None:
    result, checks = _check(GOOD_MD.replace(CTA, "https://example.com/pl/blog"))
    assert not checks["next_step"].passed
    assert "no link to the call to action https://example.com/pl/ideas/new" in checks["next_step"].detail
    assert not result.passed


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (GOOD_MD + "\nWięcej: https://example.com/rules\n", "markdown"),
        (GOOD_MD + "\n[regulamin](https://example.com/rules?utm_source=x)\n", "markdown"),
        (GOOD_HTML + '<a href="https://example.com/rules">regulamin</a>', "html"),
        (f"Zgłoś: {CTA}?{UTM} i zobacz https://example.com/rules", "text"),
    ],
)
def test_every_link_needs_utm_parameters(text: str, kind: str) -> None:
    _, checks = _check(text, kind, post=kind != "text")
    assert not checks["utm_links"].passed
    assert "https://example.com/rules" in checks["utm_links"].detail


def test_images_are_not_links_that_need_utm() -> None:
    _, checks = _check(GOOD_MD)
    assert checks["utm_links"].passed
    assert checks["utm_links"].detail == "1 links, all with UTM parameters"


def test_partner_content_needs_a_label_per_item() -> None:
    _, checks = _check(GOOD_MD.replace(" *(Reklama)*", ""), partner_items=1)
    assert not checks["partner_label"].passed
    _, checks = _check(GOOD_MD, partner_items=2)
    assert not checks["partner_label"].passed
    assert "appears 1 time(s)" in checks["partner_label"].detail
    _, checks = _check(GOOD_MD.replace(" *(Reklama)*", ""), partner_items=0)
    assert checks["partner_label"].passed


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (GOOD_MD.replace("![Grafika]", "![ ]"), "markdown"),
        (GOOD_MD + '\n<img src="https://example.com/b.png">\n', "markdown"),
        (GOOD_HTML.replace('alt="Grafika"', 'alt=""'), "html"),
        (GOOD_HTML.replace(' alt="Grafika"', ""), "html"),
    ],
)
def test_every_image_needs_alt_text(text: str, kind: str) -> None:
    _, checks = _check(text, kind)
    assert not checks["image_alt"].passed
    assert "without alt text" in checks["image_alt"].detail


def test_the_post_names_who_answers_questions() -> None:
    _, checks = _check(GOOD_MD.replace("Anna Kowalska", "nasz zespół"))
    assert not checks["owner"].passed
    assert "owner's name" in checks["owner"].detail
    _, checks = _check(GOOD_MD, owner=Owner())
    assert not checks["owner"].passed
    assert "no owner configured" in checks["owner"].detail


def test_owner_contact_is_found_through_markdown_escapes() -> None:
    owner = Owner(name="Ola_K", contact="community_team@example.com")
    text = GOOD_MD.replace("Anna Kowalska (community@example.com)", "Ola\\_K (community\\_team@example.com)")
    _, checks = _check(text, owner=owner)
    assert checks["owner"].passed


def test_channel_teasers_are_checked_for_next_step_and_utm_only() -> None:
    teaser = f"Podsumowanie miesiąca. Zgłoś pomysł: {CTA}?{UTM}"
    result, checks = _check(teaser, "text", post=False, partner_items=1, owner=Owner())
    assert result.passed
    assert set(checks) == {"next_step", "utm_links", "image_alt"}


def test_rules_can_be_disabled_and_enforcement_is_carried() -> None:
    document = Document("pl.md", "pl", "markdown", "no link, no owner")
    result = run_checklist(
        [document],
        cta={"pl": CTA},
        partner_items=0,
        partner_labels={"pl": "Reklama"},
        owner=OWNER,
        enforce=False,
        disabled=["next_step", "owner"],
    )
    assert result.passed
    assert result.enforced is False
    assert {check.rule for check in result.checks} == {"utm_links", "partner_label", "image_alt"}
