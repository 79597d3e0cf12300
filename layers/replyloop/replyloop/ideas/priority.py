"""The impact/cost matrix: which ideas to do first (quick wins), scored so that a sort puts them on top.

Impact and cost are set by the product team on a 1-5 scale. High impact is 4-5, low cost is 1-2:

                      cost 1-2 (low)        cost 3-5 (high)
    impact 4-5        quick win      (4)    major project  (3)
    impact 1-3        fill-in        (2)    money pit      (1)
    not yet scored    -              (0)

`score` = quadrant rank x 100 + round(10 x impact / cost) (10..450), so quick wins come first
and, inside a quadrant, the better impact-to-cost ratio first; votes break the remaining ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["HIGH_IMPACT", "LOW_COST", "QUADRANTS", "Priority", "Quadrant", "priority"]

Quadrant = Literal["quick_win", "major_project", "fill_in", "money_pit"]
HIGH_IMPACT = 4
LOW_COST = 2
QUADRANTS: dict[Quadrant, int] = {"quick_win": 4, "major_project": 3, "fill_in": 2, "money_pit": 1}
_LABELS: dict[Quadrant, str] = {
    "quick_win": "quick win",
    "major_project": "major project",
    "fill_in": "fill-in",
    "money_pit": "money pit",
}


@dataclass(frozen=True, slots=True)
class Priority:
    quadrant: Quadrant
    score: int

    @property
    def label(self) -> str:
        return _LABELS[self.quadrant]


def priority(impact: int | None, cost: int | None) -> Priority | None:
    """The matrix cell and score, or None until both impact and cost are known."""
    if impact is None or cost is None:
        return None
    if not (1 <= impact <= 5 and 1 <= cost <= 5):
        raise ValueError("impact and cost are 1-5")
    high, cheap = impact >= HIGH_IMPACT, cost <= LOW_COST
    quadrant: Quadrant = ("quick_win" if cheap else "major_project") if high else ("fill_in" if cheap else "money_pit")
    return Priority(quadrant, QUADRANTS[quadrant] * 100 + round(10 * impact / cost))
