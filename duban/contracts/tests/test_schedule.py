"""The schedule clauses' arithmetic, exact in Decimal: early, late and mixed nodes, the caps, and the
rating that gates the reward."""

from decimal import Decimal

import pytest

from duban.contracts import schedule

D = Decimal
CAPS = {"reward_per_day": D("5000"), "penalty_per_day": D("8000"), "reward_cap": D("400000.00"),
        "penalty_cap": D("1000000.00")}  # fmt: skip


@pytest.mark.parametrize(
    ("days", "weight", "expected"),
    [
        (0, D(20), D("0.00")),
        (3, D(20), D("15000.00")),  # 3 days early × 5,000
        (-4, D(20), D("-32000.00")),  # 4 days late × 8,000
        (30, D(20), D("80000.00")),  # 150,000 earned, capped at 20 % of the 400,000 reward cap
        (-200, D(35), D("-350000.00")),  # 1,600,000 owed, capped at 35 % of the 1,000,000 penalty cap
        (1, D("33.33"), D("5000.00")),
        (100, D("33.33"), D("133320.00")),  # 33.33 % of 400,000 = 133,320.00
    ],
)
def test_a_nodes_reward_or_penalty(days, weight, expected):
    assert schedule.node_outcome(days=days, weight=weight, **CAPS) == expected


def test_shares_round_down_so_they_never_pass_the_cap():
    cap = D("100000.01")
    shares = [schedule.share(cap, D(w)) for w in ("33.33", "33.33", "33.34")]
    assert sum(shares) <= cap and shares == [D("33330.00"), D("33330.00"), D("33340.00")]


def test_the_settlement_of_mixed_nodes_and_the_rating_gate():
    outcomes = [D("15000.00"), D("-32000.00"), D("80000.00"), D("0.00")]
    full = schedule.settle(outcomes, [D("85"), D("90")], reward_cap=D("400000"), penalty_cap=D("1000000"),
                           full=D(80), half=D(60))  # fmt: skip
    assert (full.rewards, full.penalties, full.rating, full.factor) == (D("95000.00"), D("32000.00"), D("87.50"), 1)
    assert full.payable_reward == D("95000.00") and full.net == D("63000.00")
    half = schedule.settle(outcomes, [D("70"), D("65.5")], reward_cap=D("400000"), penalty_cap=D("1000000"),
                           full=D(80), half=D(60))  # fmt: skip
    assert half.rating == D("67.75") and half.payable_reward == D("47500.00") and half.net == D("15500.00")
    none = schedule.settle(outcomes, [D("59.99")], reward_cap=D("400000"), penalty_cap=D("1000000"), full=D(80),
                           half=D(60))  # fmt: skip
    assert none.payable_reward == 0 and none.net == D("-32000.00")
    unrated = schedule.settle(outcomes, [], reward_cap=D("400000"), penalty_cap=D("1000000"), full=D(80), half=D(60))
    assert unrated.rating is None and unrated.payable_reward == 0


def test_the_contract_caps_hold_over_all_nodes():
    capped = schedule.settle([D("300000"), D("200000"), D("-900000"), D("-300000")], [D(95)], reward_cap=D("400000"),
                             penalty_cap=D("1000000"), full=D(80), half=D(60))  # fmt: skip
    assert capped.payable_reward == D("400000.00") and capped.payable_penalty == D("1000000")
    assert capped.net == D("-600000.00")


def test_the_rating_total_is_weighted():
    criteria = [["schedule", "工期履约", 40], ["quality", "工程质量", 25], ["safety", "安全文明施工", 20],
                ["management", "现场管理与配合", 15]]  # fmt: skip
    scores = {"schedule": "50.00", "quality": "90", "safety": "85.5", "management": "80"}
    assert schedule.weighted_total(scores, criteria) == D("71.60")  # 20 + 22.5 + 17.1 + 12
