"""The schedule clauses' arithmetic (关键节点工期要求, 履约评价与工期奖罚挂钩), exact in Decimal: a node's
reward per day early or penalty per day late, within its share (its weight) of the contract's caps;
the settlement's totals, and the rating that gates the reward."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def share(cap: Decimal, weight: Decimal) -> Decimal:
    """A node's share of a cap, rounded down to the fen so the shares never add up past the cap."""
    return (cap * weight / HUNDRED).quantize(CENT, rounding=ROUND_DOWN)


def node_outcome(*, days: int, weight: Decimal, reward_per_day: Decimal, penalty_per_day: Decimal,
                 reward_cap: Decimal, penalty_cap: Decimal) -> Decimal:  # fmt: skip
    """+reward for `days` early, −penalty for days late, each within the node's share of its cap."""
    if days > 0:
        return min(reward_per_day * days, share(reward_cap, weight)).quantize(CENT)
    if days < 0:
        return -min(penalty_per_day * -days, share(penalty_cap, weight)).quantize(CENT)
    return ZERO


def reward_factor(rating: Decimal | None, *, full: Decimal, half: Decimal) -> Decimal:
    """How much of the schedule reward the rating lets through: all, half or none (none until rated)."""
    if rating is None or rating < half:
        return Decimal(0)
    return Decimal(1) if rating >= full else Decimal("0.5")


@dataclass
class Settlement:
    rewards: Decimal  # earned by early nodes, before the rating
    penalties: Decimal  # owed for late nodes (positive)
    rating: Decimal | None  # the average of the approved quarterly ratings
    factor: Decimal
    reward_cap: Decimal
    penalty_cap: Decimal

    @property
    def payable_reward(self) -> Decimal:
        return (min(self.rewards, self.reward_cap) * self.factor).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def payable_penalty(self) -> Decimal:
        return min(self.penalties, self.penalty_cap)

    @property
    def net(self) -> Decimal:
        """What the schedule clauses add to (+) or take from (−) the settlement."""
        return self.payable_reward - self.payable_penalty


def settle(outcomes: list[Decimal], ratings: list[Decimal], *, reward_cap: Decimal, penalty_cap: Decimal,
           full: Decimal, half: Decimal) -> Settlement:  # fmt: skip
    rewards = sum((o for o in outcomes if o > 0), ZERO)
    penalties = -sum((o for o in outcomes if o < 0), ZERO)
    rating = (sum(ratings, Decimal(0)) / len(ratings)).quantize(CENT, rounding=ROUND_HALF_UP) if ratings else None
    return Settlement(rewards, penalties, rating, reward_factor(rating, full=full, half=half), reward_cap, penalty_cap)


def schedule_score(nodes, quarter_end) -> Decimal:
    """The rating's schedule criterion for a quarter: the share (0–100) of the nodes due by the
    quarter's end that were reached by their planned date; 100 when none was due."""
    due = [n for n in nodes if n.planned_on <= quarter_end]
    if not due:
        return HUNDRED
    met = sum(1 for n in due if n.actual_on is not None and n.actual_on <= n.planned_on)
    return (Decimal(met) * HUNDRED / len(due)).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_total(scores: dict[str, Decimal], criteria: list) -> Decimal:
    """The rating's total: each criterion's score (0–100) by its weight (the weights add up to 100)."""
    total = sum(Decimal(str(scores[key])) * Decimal(weight) for key, _label, weight in criteria) / HUNDRED
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
