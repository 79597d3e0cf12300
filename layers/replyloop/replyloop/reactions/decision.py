"""What to do with one classified comment, by policy, stop words, the FAQ library and the templates (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from replyloop.models.events import CommentClassified, CommentReceived, ReactionAction
from replyloop.models.ideas import IdeaRecorded
from replyloop.reactions.faq import FaqLibrary, tracked_link
from replyloop.reactions.help import HelpDirectory
from replyloop.reactions.matching import PhraseMatcher
from replyloop.reactions.policy import DEFERRED, REPLY_ACTIONS, Policy, load_policy
from replyloop.reactions.templates import Templates

__all__ = ["Decider", "Plan"]


@dataclass(frozen=True, slots=True)
class Plan:
    """The decision for one comment; `reason` is for operators and never quotes the comment."""

    action: ReactionAction
    lang: str
    reason: str
    template_id: str | None = None
    text: str | None = None
    faq_id: str | None = None
    faq_score: float | None = None
    deferred: bool = False  # decided later, on another event (ideas: IdeaRecorded)

    @property
    def is_reply(self) -> bool:
        return self.action in REPLY_ACTIONS


class Decider:
    """Policy, FAQ, templates and help resources, loaded once per container."""

    def __init__(self, policy: Policy, faq: FaqLibrary, templates: Templates, help_: HelpDirectory) -> None:
        for name, languages in (("templates", templates.languages), ("FAQ", faq.languages)):
            missing = set(policy.languages) - set(languages)
            if missing:
                raise ValueError(f"{name} missing for reply languages {sorted(missing)}")
        missing_help = set(policy.languages) - set(help_.languages)
        if missing_help:
            raise ValueError(f"help resources missing for reply languages {sorted(missing_help)}")
        self.policy = policy
        self._faq = faq
        self._templates = templates
        self._help = help_
        # Stop words of every language apply to every comment: a legal threat is one in any language.
        groups: dict[str, list[str]] = defaultdict(list)
        for by_group in policy.stop_words.values():
            for group, phrases in by_group.items():
                groups[group].extend(phrases)
        self._stop_words = PhraseMatcher(groups)

    @classmethod
    def load(cls) -> Decider:
        policy = load_policy()
        return cls(policy, FaqLibrary.load(policy.languages), Templates.load(), HelpDirectory.load())

    def decide(self, classified: CommentClassified) -> Plan:
        comment, classification = classified.comment, classified.classification
        label = classification.label
        lang = self.policy.reply_lang(classification.lang)
        action = self.policy.actions[label]
        if action in ("none", DEFERRED):
            if action == DEFERRED:
                reason = f"{label}: thanks deferred to IdeaRecorded (with the backlog number)"
            else:
                reason = f"policy: no automatic reaction to {label}; people answer"
            return Plan("none", lang, reason, deferred=action == DEFERRED)
        if action == "hide":
            return Plan("hide", lang, f"{label}: hidden from the public; the reason is not posted")
        group = self._stop_words.first_group(comment.text)
        if group is not None:
            return Plan("none", lang, f"stop word ({group}): no automatic public reply; people answer")
        if action == "faq_answer":
            return self._faq_answer(comment, classification.lang)
        if action == "help_route":
            resources = [resource.line() for resource in self._help.resources_for(comment.text, lang)]
            topics = ", ".join(self._help.topics_for(comment.text, lang))
            rendered = self._templates.render(
                "help_route", lang, platform=comment.platform, seed=comment.comment_id, resources=resources
            )
            return Plan("help_route", lang, f"{label}: help route ({topics})", rendered.template_id, rendered.text)
        rendered = self._templates.render(action, lang, platform=comment.platform, seed=comment.comment_id)
        return Plan(action, lang, f"{label}: {action.replace('_', ' ')}", rendered.template_id, rendered.text)

    def idea_thanks(self, recorded: IdeaRecorded) -> Plan:
        """Thanks for an idea with its backlog number: a new idea, or a vote added to an existing one.

        The same rules as for any reply hold: stop words mean people answer, and an author whose
        vote was already counted (a repeat) is not thanked twice.
        """
        comment, lang, ref = recorded.comment, self.policy.reply_lang(recorded.lang), f"#{recorded.number}"
        if not self.policy.ideas_deferred:
            return Plan("none", lang, f"policy: ideas are not thanked on IdeaRecorded ({self.policy.actions['idea']})")
        if recorded.outcome == "repeat":
            return Plan("none", lang, f"idea {ref}: this author's vote was already counted; no second thanks")
        group = self._stop_words.first_group(comment.text)
        if group is not None:
            return Plan("none", lang, f"stop word ({group}): no automatic public reply; people answer")
        vote = recorded.outcome == "vote" and bool(self._templates.of(lang).idea_vote_thanks)
        rendered = self._templates.render(
            "idea_vote_thanks" if vote else "idea_thanks",
            lang,
            platform=comment.platform,
            seed=comment.comment_id,
            fields={"number": str(recorded.number)},
        )
        what = f"vote added ({recorded.votes} votes)" if recorded.outcome == "vote" else "new idea"
        return Plan("idea_thanks", lang, f"idea {ref}: thanks, {what}", rendered.template_id, rendered.text)

    def rules_reminder(self, comment: CommentReceived, lang: str, reason: str) -> Plan:
        rendered = self._templates.render("rules_reminder", lang, platform=comment.platform, seed=comment.thread_id)
        return Plan("rules_reminder", lang, reason, rendered.template_id, rendered.text)

    def _faq_answer(self, comment: CommentReceived, comment_lang: str) -> Plan:
        """The best entry in the comment's language (in every reply language when it is unknown)."""
        languages = [comment_lang] if comment_lang in self.policy.languages else list(self.policy.languages)
        match = self._faq.best(comment.text, languages)
        threshold = self.policy.faq.threshold
        lang = self.policy.reply_lang(comment_lang)
        if match is None:
            return Plan("none", lang, "question: no FAQ entry shares a word with it; people answer")
        entry, score = match.entry, match.score
        if score < threshold:
            reason = f"question: best FAQ {entry.id} scored {score:.2f} < {threshold:.2f}; people answer"
            return Plan("none", lang, reason, faq_id=entry.id, faq_score=score)
        link = tracked_link(entry.link, platform=comment.platform, faq_id=entry.id)
        rendered = self._templates.render(
            "faq_answer",
            entry.language,
            platform=comment.platform,
            seed=comment.comment_id,
            fields={"answer": entry.answer, "link": link},
        )
        reason = f"question: FAQ {entry.id} scored {score:.2f} >= {threshold:.2f}"
        return Plan("faq_answer", entry.language, reason, rendered.template_id, rendered.text, entry.id, score)
