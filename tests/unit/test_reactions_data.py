"""The reactions' data files: templates, help resources and policy are valid, fit the platforms, can be overridden."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from replyloop.data import load_json
from replyloop.reactions.help import HelpDirectory
from replyloop.reactions.policy import Policy, load_policy
from replyloop.reactions.templates import FIELDS, LanguageTemplates, Templates, fits, platform_length

LANGUAGES = load_policy().languages
FILLERS = {"answer": "A" * 40, "link": "https://help.example.com/x", "rules_link": "https://help.example.com/r"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reply_language_has_every_template(lang: str) -> None:
    templates = Templates.load().of(lang)
    for kind in FIELDS:
        variants = getattr(templates, kind)
        assert variants, kind
        assert all(template.id.startswith(f"{kind}.{lang}.") for template in variants)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["idea_thanks", "praise_thanks", "rules_reminder"])
def test_fixed_replies_fit_a_post_on_x(lang: str, kind: str) -> None:
    rendered = Templates.load().render(kind, lang, platform="x", seed="1")
    assert fits(rendered.text, "x")
    assert "{" not in rendered.text


def test_an_unknown_placeholder_is_refused() -> None:
    raw = load_json("reactions/templates.json")["pl"]
    broken = {**raw, "praise_thanks": [{"id": "praise_thanks.pl.9", "text": "Dzięki, {name}!"}]}
    with pytest.raises(ValidationError, match="name"):
        LanguageTemplates.model_validate(broken)


def test_the_idea_number_is_used_when_it_is_known() -> None:
    rendered = Templates.load().render("idea_thanks", "en", platform="x", seed="1", fields={"number": "42"})
    assert "#42" in rendered.text
    without = Templates.load().render("idea_thanks", "en", platform="x", seed="1")
    assert "#" not in without.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_vote_thanks_names_the_idea_and_fits_x(lang: str) -> None:
    rendered = Templates.load().render("idea_vote_thanks", lang, platform="x", seed="1", fields={"number": "123"})
    assert "#123" in rendered.text
    assert fits(rendered.text, "x")


def test_a_vote_thanks_without_the_number_is_refused() -> None:
    raw = load_json("reactions/templates.json")["en"]
    broken = {**raw, "idea_vote_thanks": [{"id": "idea_vote_thanks.en.9", "text": "Your vote was added, thanks!"}]}
    with pytest.raises(ValidationError, match="number"):
        LanguageTemplates.model_validate(broken)


def test_a_reply_too_long_for_x_is_shortened_but_keeps_its_link() -> None:
    link = "https://help.example.com/pl/" + "a" * 200
    text = (
        Templates.load()
        .render("faq_answer", "pl", platform="x", seed="1", fields={"answer": "słowo " * 80, "link": link})
        .text
    )
    assert platform_length(text, "x") <= 280
    assert text.endswith(link)
    assert "…" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_resources_cover_gambling_debt_and_a_crisis_line(lang: str) -> None:
    directory = HelpDirectory.load()
    # Triggers of either language count, and the most urgent topic comes first.
    assert directory.topics_for("hazard, długi, samobójstwo", lang) == ["crisis", "gambling", "debt"]
    assert directory.topics_for("gambling debts, suicidal", lang) == ["crisis", "gambling", "debt"]
    assert directory.topics_for("mam dość", lang) == ["crisis", "gambling"]  # the defaults
    assert "debt" not in directory.topics_for("jak długo to trwa", lang)  # "długo" is not "długi"
    crisis = directory.resources_for("suicide", lang)
    assert any("116 123" in resource.contact for resource in crisis)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_packaged_help_resources_are_marked_for_verification(lang: str) -> None:
    # The deployment checks every number and link and ships its own file with verified: true.
    assert HelpDirectory.load().verified(lang) is False


def test_rate_limit_names_are_unique() -> None:
    raw = load_policy().model_dump()
    with pytest.raises(ValidationError, match="unique"):
        Policy.model_validate({**raw, "rate_limits": [raw["rate_limits"][0], raw["rate_limits"][0]]})


def test_a_deployment_overrides_one_data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_json("reactions/policy.json")
    (tmp_path / "reactions").mkdir()
    (tmp_path / "reactions" / "policy.json").write_text(json.dumps({**policy, "default_lang": "en"}), "utf-8")
    monkeypatch.setenv("REPLYLOOP_DATA_DIR", str(tmp_path))
    assert load_policy().default_lang == "en"
    # Files the deployment does not override still come from the package.
    assert Templates.load().languages == ["pl", "en"]
