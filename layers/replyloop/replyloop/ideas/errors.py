"""What can go wrong with an idea, by what the caller did: bad input (400), no such idea (404), a conflict (409)."""

from __future__ import annotations

__all__ = [
    "CommentAlreadyRecorded",
    "Conflict",
    "IdeaMerged",
    "IdeaNotFound",
    "IdeasError",
    "InvalidInput",
    "InvalidTransition",
    "PublishFailed",
]


class IdeasError(Exception):
    """Base of the errors the admin API and the CLI turn into answers; messages never quote comments."""

    status = 400


class InvalidInput(IdeasError):
    """The request cannot be done as asked (bad field, bad cursor, merging an idea into itself...)."""

    status = 400


class IdeaNotFound(IdeasError):
    status = 404

    def __init__(self, number: int | str) -> None:
        super().__init__(f"no idea #{number}")


class Conflict(IdeasError):
    """The idea's state forbids the change, or it changed meanwhile: reload and decide again."""

    status = 409


class InvalidTransition(Conflict):
    def __init__(self, number: int, current: str, target: str, allowed: list[str]) -> None:
        options = ", ".join(allowed) or "none (final)"
        super().__init__(f"#{number} is {current}: it cannot become {target}; allowed next: {options}")


class IdeaMerged(Conflict):
    """The idea was merged into another one; `into_id`/`into_number` say where it lives on."""

    def __init__(self, number: int, into_number: int, into_id: str) -> None:
        super().__init__(f"#{number} was merged into #{into_number}; change #{into_number} instead")
        self.into_number = into_number
        self.into_id = into_id


class CommentAlreadyRecorded(IdeasError):
    """The comment was recorded before (a redelivery): the caller replays the first outcome."""


class PublishFailed(IdeasError):
    """The change was stored but its event could not be put on the bus (a retry publishes it)."""

    status = 503
