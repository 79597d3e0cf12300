"""The monthly post in Polish and English, Markdown and HTML, from the templates; thanks, teasers and notifications."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from replyloop.data import PACKAGED_DATA, clear_cache
from replyloop.reactions.templates import fits
from replyloop.summary import MonthContent, Renderer, gather, load_templates
from replyloop.summary.content import partner_of
from replyloop.summary.links import find_links
from tests.support.summary import MemoryBacklog, policy_with

pytestmark = pytest.mark.unit

TELEGRAM_USER_ID = "5550121"


@pytest.fixture
def backlog() -> MemoryBacklog:
    backlog = MemoryBacklog()
    backlog.add(
        12,
        "Tryb ciemny w aplikacji",
        status="shipped",
        shipped_month="2026-11",
        notes={"pl": "Tryb ciemny: Ustawienia → Wygląd.", "en": "Dark mode: Settings → Appearance."},
        authors=[
            ("x", "901", "ola_k", "pl"),
            ("telegram", TELEGRAM_USER_ID, None, "pl"),  # no username: counted, never named
            ("facebook", "5101", "Ola Nowak", "pl"),  # a display name, not a handle: counted
            ("instagram", "1784", "@bartek.design", "en"),
        ],
    )
    backlog.add(
        13,
        "BLIK przy doładowaniach",
        status="shipped",
        shipped_month="2026-11",
        notes={"pl": "[partner: Bank X] Płać BLIKIEM.", "en": "[partner: Bank X] Pay with BLIK."},
        authors=[("telegram", "5550122", "kasia", "pl")],
    )
    backlog.add(14, "Eksport do CSV", status="planned", authors=[("x", "902", "jan", "en")] * 1)
    backlog.add(15, "Widżet z saldem", first_month="2026-10", authors=[("x", "903", None, "pl")])
    return backlog


@pytest.fixture
def renderer() -> Renderer:
    policy = policy_with()
    return Renderer(policy, load_templates(policy.languages))


@pytest.fixture
def content(backlog: MemoryBacklog) -> MonthContent:
    return gather(backlog, "2026-11", policy_with())


def test_the_content_of_the_month(content: MonthContent) -> None:
    assert [item.number for item in content.shipped] == [12, 13]
    assert (content.received, [p.number for p in content.planned]) == (3, [14])  # #15 came in October
    dark, blik = content.shipped
    assert (dark.handles, dark.others) == (("@ola_k", "@bartek.design"), 2)
    assert (blik.partner, blik.notes["pl"]) == ("Bank X", "Płać BLIKIEM.")
    assert [(a.platform, a.lang) for a in dark.authors] == [
        ("x", "pl"),
        ("telegram", "pl"),
        ("facebook", "pl"),
        ("instagram", "en"),
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("pl", ["Pytaliście, zrobiliśmy — Listopad 2026", "Tryb ciemny: Ustawienia → Wygląd.", "Reklama: Bank X"]),
        ("en", ["You asked, we did — November 2026", "Dark mode: Settings → Appearance.", "Ad: Bank X"]),
    ],
)
def test_both_languages_in_markdown_and_html(
    renderer: Renderer, content: MonthContent, lang: str, expected: list[str]
) -> None:
    post = renderer.post(content, lang)
    for text in (post.markdown, post.html):
        for phrase in expected:
            assert phrase in text.replace("&quot;", '"')
        assert "Eksport do CSV" in text
        assert "(#14)" in text
        assert "[partner" not in text  # the marker is not shown, the label is
        assert "Anna Kowalska" in text
        assert "community@example.com" in text
    assert "**3**" in post.markdown
    assert "<strong>3</strong>" in post.html
    assert post.html.startswith(f'<article lang="{lang}">')


def test_thanks_name_public_handles_only(renderer: Renderer, content: MonthContent) -> None:
    pl, en = renderer.post(content, "pl"), renderer.post(content, "en")
    assert "Dziękujemy: @ola\\_k, @bartek.design i jeszcze 2 osobom!" in pl.markdown
    assert "Thank you, @ola_k, @bartek.design and 2 more people!" in en.html
    assert "Dziękujemy: @kasia!" in pl.markdown  # a Telegram username is public
    for text in (pl.markdown, pl.html, en.markdown, en.html):
        assert TELEGRAM_USER_ID not in text
        assert "Ola Nowak" not in text


def test_every_link_carries_utm_and_images_have_alt_text(renderer: Renderer, content: MonthContent) -> None:
    post = renderer.post(content, "pl")
    for text, kind in ((post.markdown, "markdown"), (post.html, "html")):
        found = find_links(text, kind)
        [cta] = found.links
        query = parse_qs(urlsplit(cta).query)
        assert urlsplit(cta).path == "/pl/ideas/new"
        assert (query["utm_source"], query["utm_medium"], query["utm_campaign"]) == (
            ["website"],
            ["monthly-post"],
            ["you-asked-we-did-2026-11"],
        )
        [image] = found.images
        assert image.alt.startswith("Grafika")


def test_user_text_never_becomes_markup(renderer: Renderer) -> None:
    backlog = MemoryBacklog()
    backlog.add(
        7,
        "Więcej *bonusów* <script>alert(1)</script> [tu](https://evil.example)",
        status="shipped",
        shipped_month="2026-11",
        notes={"pl": "R&D <b>gotowe</b>", "en": "done"},
        authors=[("x", "1", "a_b", "pl")],
    )
    post = renderer.post(gather(backlog, "2026-11", policy_with()), "pl")
    assert "<script>" not in post.html
    assert "&lt;script&gt;" in post.html
    assert "R&amp;D &lt;b&gt;gotowe&lt;/b&gt;" in post.html
    assert "Więcej \\*bonusów\\* \\<script\\>" in post.markdown
    assert "\\[tu\\](https://evil.example)" in post.markdown  # shown as text, not a link ...
    assert "https://evil.example" in find_links(post.markdown, "markdown").links  # ... and still seen by the checklist


def test_a_month_with_nothing_shipped_says_what_comes_next(renderer: Renderer, backlog: MemoryBacklog) -> None:
    content = gather(backlog, "2026-09", policy_with())
    assert (content.kind, content.shipped, content.received) == ("planned-only", (), 0)
    post = renderer.post(content, "en")
    assert "No new idea shipped this time" in post.markdown
    assert "Nothing new in September" in post.markdown
    assert "Eksport do CSV" in post.markdown


def test_teasers_fit_every_channel_and_link_with_the_platform_as_source(
    renderer: Renderer, content: MonthContent
) -> None:
    for platform in ("x", "telegram", "facebook"):
        for lang in ("pl", "en"):
            teaser = renderer.teaser(content, lang, platform)
            assert fits(teaser, platform)
            links = find_links(teaser, "text").links
            assert len(links) == 2
            assert all(parse_qs(urlsplit(link).query)["utm_source"] == [platform] for link in links)


def test_each_author_is_thanked_in_their_language_with_a_tracked_link(
    renderer: Renderer, content: MonthContent
) -> None:
    dark = content.shipped[0]
    x_author, instagram_author = dark.authors[0], dark.authors[3]
    polish = renderer.notification(dark, x_author, "2026-11")
    english = renderer.notification(dark, instagram_author, "2026-11")
    assert polish.startswith("Twój pomysł „Tryb ciemny w aplikacji” (#12) jest już wdrożony.")
    assert "w listopadzie" in polish
    assert english.startswith('Your idea "Tryb ciemny w aplikacji" (#12) has shipped.')
    [link] = find_links(english, "text").links
    assert urlsplit(link).path == "/en/you-asked-we-did/2026-11"
    assert parse_qs(urlsplit(link).query)["utm_source"] == ["instagram"]
    assert parse_qs(urlsplit(link).query)["utm_content"] == ["author-thanks"]


def test_a_long_title_is_shortened_to_fit_x(renderer: Renderer, content: MonthContent) -> None:
    long = replace(content.shipped[0], title="Ciemny " * 40)
    text = renderer.notification(long, content.shipped[0].authors[0], "2026-11")
    assert fits(text, "x")
    assert "…" in text


def test_partner_markers() -> None:
    assert partner_of({"pl": "[Partner] Nowość"}) == ("", {"pl": "Nowość"})
    assert partner_of({"pl": "[Partner] Nowość", "en": "[ad: Acme] New"}) == ("Acme", {"pl": "Nowość", "en": "New"})
    assert partner_of({"pl": "Zwykła nota [partner]"}) == (None, {"pl": "Zwykła nota [partner]"})


@pytest.fixture
def override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "summary").mkdir()
    monkeypatch.setenv("REPLYLOOP_DATA_DIR", str(tmp_path))
    clear_cache()
    yield tmp_path / "summary"
    clear_cache()


def test_a_deployment_overrides_a_template_file_by_file(override: Path, content: MonthContent) -> None:
    (override / "en.md").write_text(
        "# Our $month_title\n\n$shipped_list\n\n[$cta_label]($cta_link)\n", encoding="utf-8"
    )
    policy = policy_with()
    post = Renderer(policy, load_templates(policy.languages)).post(content, "en")
    assert post.markdown.startswith("# Our November 2026\n")
    assert "You asked, we did" in post.html  # the HTML template was not overridden


def test_an_unknown_placeholder_fails_when_the_templates_load(override: Path) -> None:
    (override / "pl.md").write_text("# $month_title $typo\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown placeholders \['typo'\]"):
        load_templates(("pl",))
    wording = json.loads((PACKAGED_DATA / "summary" / "en.json").read_text(encoding="utf-8"))
    wording["notification"] = "Thanks for $idea"
    shutil.copy(PACKAGED_DATA / "summary" / "pl.md", override / "pl.md")
    (override / "en.json").write_text(json.dumps(wording), encoding="utf-8")
    with pytest.raises(ValueError, match="notification: unknown placeholders"):
        load_templates(("en",))
