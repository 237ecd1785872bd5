"""群众评, 大家评 and 第三方评估: who takes part, what is refused, and the results."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.core.workdays import on_day
from duban.orgs import services as org_services
from duban.orgs.choices import AccountType
from duban.orgs.verification import resident_account_verified
from duban.reforms.choices import ReformLevel
from duban.reforms.models import Rating, Score, Vote
from duban.reforms.rounds import (
    panel_add_member,
    panel_create,
    panel_publish,
    panel_results,
    panel_set_criteria,
    rating_results,
    rating_round_create,
    rating_submit,
    score_submit,
    vote_cast,
    vote_results,
    vote_round_create,
)

pytestmark = pytest.mark.django_db
D = dt.date
OPEN_DAY = on_day(D(2024, 11, 15), hour=10)
ROUND = {"year": 2024, "opens_on": D(2024, 11, 1), "closes_on": D(2024, 11, 30)}


@pytest.fixture
def key_reforms(make_reform):
    return [make_reform(title="商事登记“秒批”改革"), make_reform(title="城市更新“一站式”审批")]


@pytest.fixture
def micro_reforms(personas, make_reform):
    return [
        make_reform(level=ReformLevel.MICRO, title="社区“微更新”", lead_unit=personas.unit_a),
        make_reform(level=ReformLevel.MICRO, title="“秒批”电梯加装", lead_unit=personas.unit_b),
        make_reform(level=ReformLevel.MICRO, title="垃圾分类积分", lead_unit=personas.unit_a),
    ]


def _residents(n):
    return [resident_account_verified(destination=f"1370000{i:04d}") for i in range(n)]


def test_residents_rate_once_and_the_rate_leaves_out_dont_know(personas, key_reforms):
    round_ = rating_round_create(
        actor=personas.office_admin, title="2024年重点改革群众评", reforms=key_reforms, **ROUND
    )
    reform = key_reforms[0]
    answers = ["satisfied", "fairly", "neutral", "unknown"]
    for resident, level in zip(_residents(4), answers, strict=True):
        rating_submit(actor=resident, round_=round_, reform=reform, level=level, street=personas.unit_a, at=OPEN_DAY)

    with pytest.raises(ValidationError, match="已在本轮评价过"):
        rating_submit(actor=Rating.objects.first().user, round_=round_, reform=reform, level="not", at=OPEN_DAY)
    with pytest.raises(PermissionDenied):
        rating_submit(actor=personas.unit_a_staff, round_=round_, reform=reform, level="satisfied", at=OPEN_DAY)
    with pytest.raises(ValidationError):
        rating_submit(
            actor=personas.resident, round_=round_, reform=reform, level="satisfied", at=on_day(D(2024, 12, 1))
        )

    first = rating_results(round_)[0]
    assert (first.rate, first.valid, first.counts["unknown"]) == (Decimal("66.67"), 3, 1)
    assert first.by_street == [("东门街道", Decimal("66.67"), 4)]
    assert Rating.objects.count() == 4


def test_only_key_reforms_are_rated_and_only_micro_reforms_voted(personas, key_reforms, micro_reforms):
    with pytest.raises(ValidationError):
        rating_round_create(actor=personas.office_admin, title="x", reforms=micro_reforms, **ROUND)
    with pytest.raises(ValidationError):
        vote_round_create(actor=personas.office_admin, title="x", candidates=key_reforms, **ROUND)


def test_one_vote_per_candidate_and_a_limit_per_person(personas, micro_reforms):
    round_ = vote_round_create(
        actor=personas.office_admin, title="2024年微改革大家评", candidates=micro_reforms, votes_per_person=2, **ROUND
    )
    voter = personas.resident
    vote_cast(actor=voter, round_=round_, reform=micro_reforms[0], at=OPEN_DAY)
    with pytest.raises(ValidationError, match="已为该项目投过票"):
        vote_cast(actor=voter, round_=round_, reform=micro_reforms[0], at=OPEN_DAY)
    vote_cast(actor=voter, round_=round_, reform=micro_reforms[1], at=OPEN_DAY)
    with pytest.raises(ValidationError):
        vote_cast(actor=voter, round_=round_, reform=micro_reforms[2], at=OPEN_DAY)
    vote_cast(actor=personas.unit_b_staff, round_=round_, reform=micro_reforms[1], at=OPEN_DAY)  # officials vote too
    assert [(rank, reform.title, n) for rank, reform, n in vote_results(round_)] == [
        (1, "“秒批”电梯加装", 2),
        (2, "社区“微更新”", 1),
        (3, "垃圾分类积分", 0),
    ]
    assert Vote.objects.count() == 3


@pytest.fixture
def panel(personas, micro_reforms):
    panel = panel_create(
        actor=personas.office_admin,
        year=2024,
        title="2024年微改革第三方评估",
        candidates=micro_reforms,
        excellent_count=1,
    )
    return panel


def _experts(panel, n):
    members = []
    for i in range(n):
        person = org_services.person_create(actor=None, name=f"评估专家{i}")
        user = org_services.official_account_create(
            actor=None, person=person, username=f"expert{i}", password="x-Passw0rd!", is_expert=True,
            account_type=AccountType.EXTERNAL,
        )  # fmt: skip
        members.append(panel_add_member(actor=None, panel=panel, user=user, affiliation="市政府发展研究中心"))
    return members


def test_weights_must_sum_to_100_and_freeze_once_scoring_starts(personas, panel):
    with pytest.raises(ValidationError) as refused:
        panel_set_criteria(
            actor=personas.office_admin, panel=panel, criteria=[{"code": "a", "name": "甲", "weight": 90}]
        )
    assert refused.value.message_dict["criteria"] == ["各项权重之和应为100。"]
    member = _experts(panel, 1)[0]
    score_submit(
        actor=member.user,
        panel=panel,
        reform=panel.candidates.first(),
        scores={"targeting": 8, "innovation": 8, "effect": 8},
    )
    with pytest.raises(ValidationError):
        panel_set_criteria(
            actor=personas.office_admin, panel=panel, criteria=[{"code": "a", "name": "甲", "weight": 100}]
        )


def test_scores_out_of_range_or_for_ones_own_unit_are_refused_and_nothing_is_saved(personas, panel, micro_reforms):
    outsider = _experts(panel, 1)[0]
    with pytest.raises(ValidationError) as refused:
        score_submit(
            actor=outsider.user,
            panel=panel,
            reform=micro_reforms[0],
            scores={"targeting": 8, "innovation": 11, "effect": "x"},
        )
    assert set(refused.value.message_dict) == {"innovation", "effect"}
    assert not Score.objects.exists()

    street_member = panel_add_member(actor=None, panel=panel, user=personas.unit_a_staff, affiliation="东门街道")
    with pytest.raises(ValidationError, match="牵头单位"):
        score_submit(
            actor=street_member.user,
            panel=panel,
            reform=micro_reforms[0],
            scores={"targeting": 9, "innovation": 9, "effect": 9},
        )
    score_submit(
        actor=street_member.user,
        panel=panel,
        reform=micro_reforms[1],
        scores={"targeting": 9, "innovation": 9, "effect": 9},
    )
    with pytest.raises(PermissionDenied):
        score_submit(actor=personas.expert, panel=panel, reform=micro_reforms[1], scores={})


def test_the_panel_ranks_by_trimmed_mean_and_selects_the_excellent(personas, panel, micro_reforms):
    members = _experts(panel, 5)
    first, second, third = micro_reforms
    for member, value in zip(members, [6, 8, 9, 7, 10], strict=True):  # trimmed: 6 and 10 dropped → 8.00
        score_submit(
            actor=member.user,
            panel=panel,
            reform=first,
            scores={"targeting": value, "innovation": value, "effect": value},
        )
    for member, value in zip(members[:3], [9, 9, 6], strict=True):  # three scores: nothing dropped → 8.00
        score_submit(
            actor=member.user,
            panel=panel,
            reform=second,
            scores={"targeting": value, "innovation": value, "effect": value},
        )
    score_submit(
        actor=members[0].user, panel=panel, reform=second, scores={"targeting": 9, "innovation": 9, "effect": 9.5}
    )

    results = panel_results(panel)

    assert [(r.rank, r.reform.title, r.score, r.experts, r.excellent) for r in results] == [
        (1, second.title, Decimal("8.07"), 3, True),  # (9.20 + 9 + 6) / 3 after the first expert revised
        (2, first.title, Decimal("8.00"), 5, False),
        (None, third.title, None, 0, False),
    ]
    panel_publish(actor=personas.office_admin, panel=panel)
    with pytest.raises(ValidationError):
        score_submit(
            actor=members[1].user, panel=panel, reform=third, scores={"targeting": 1, "innovation": 1, "effect": 1}
        )
