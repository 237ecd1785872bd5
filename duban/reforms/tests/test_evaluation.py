"""The evaluation arithmetic, exactly."""

from decimal import Decimal

import pytest

from duban.reforms.choices import DEFAULT_CRITERIA
from duban.reforms.evaluation import criteria_errors, ranking, satisfaction_rate, trimmed_mean, weighted_total

D = Decimal


def test_the_satisfaction_rate_leaves_dont_know_out_of_the_denominator():
    answers = ["satisfied", "fairly", "neutral", "not", "unknown", "unknown"]
    assert satisfaction_rate(answers) == D("50.00")
    assert satisfaction_rate(["satisfied", "fairly", "fairly_not"]) == D("66.67")
    assert satisfaction_rate(["unknown"]) is None
    assert satisfaction_rate([]) is None


def test_the_default_index_is_valid_and_bad_weights_are_named():
    assert criteria_errors(DEFAULT_CRITERIA) == []
    assert criteria_errors([{"code": "a", "name": "甲", "weight": 60}, {"code": "b", "name": "乙", "weight": 30}]) == [
        "sum"
    ]
    assert criteria_errors([{"code": "a", "name": "甲", "weight": 100}, {"code": "a", "name": "乙", "weight": 0}]) == [
        "names",
        "weight",
    ]
    assert criteria_errors([]) == ["empty", "sum"]


def test_an_experts_total_weights_each_criterion():
    scores = {"targeting": D("8"), "innovation": D("9"), "effect": D("7.5")}
    assert weighted_total(scores, DEFAULT_CRITERIA) == D("8.10")  # 0.3×8 + 0.3×9 + 0.4×7.5


@pytest.mark.parametrize(
    ("values", "mean"),
    [
        (["8", "9", "7"], "8.00"),  # fewer than five: nothing dropped
        (["8", "9", "7", "10"], "8.50"),
        (["6", "8", "9", "7", "10"], "8.00"),  # 6 and 10 dropped
        (["9.5", "9.5", "2", "9.5", "9.5", "9.5"], "9.50"),  # one low outlier cannot sink a project
        (["7.33", "7.34"], "7.34"),  # half up
    ],
)
def test_the_trimmed_mean(values, mean):
    assert trimmed_mean([D(v) for v in values]) == D(mean)


def test_no_scores_no_mean():
    assert trimmed_mean([]) is None


def test_the_ranking_shares_ranks_for_equal_scores_and_leaves_out_the_unscored():
    results = {11: D("8.1"), 12: D("9.0"), 13: D("8.1"), 14: None, 15: D("7.0")}
    assert ranking(results) == [(1, 12, D("9.0")), (2, 11, D("8.1")), (2, 13, D("8.1")), (4, 15, D("7.0"))]
