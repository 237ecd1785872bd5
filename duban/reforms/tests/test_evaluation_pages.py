"""Evaluation from the pages: residents rate and vote on the portal, experts score on their sheet,
the office publishes, and the ranking appears on the portal."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from duban.core.workdays import on_day
from duban.reforms.choices import ReformLevel
from duban.reforms.models import Rating, Score, Vote
from duban.reforms.rounds import panel_add_member, panel_create, rating_round_create, vote_round_create

pytestmark = pytest.mark.django_db
D = dt.date
ROUND = {"year": 2024, "opens_on": D(2024, 11, 1), "closes_on": D(2024, 11, 30)}
OPEN_DAY = on_day(D(2024, 11, 15), hour=10)


def test_a_resident_rates_once_from_the_portal_and_anonymous_visitors_are_asked_to_sign_in(
    client, personas, make_reform
):
    reform = make_reform()
    round_ = rating_round_create(actor=None, title="重点改革群众评", reforms=[reform], **ROUND)
    url = reverse("portal:rating_round", args=[round_.pk])
    with time_machine.travel(OPEN_DAY, tick=False):
        assert "使用手机号登录后评价" in client.get(url).content.decode()
        assert client.post(url, {"reform": reform.pk, "level": "satisfied"}).url.startswith(reverse("resident_login"))
        client.force_login(personas.resident)
        client.post(url, {"reform": reform.pk, "level": "satisfied", "street": personas.unit_a.pk})
        response = client.post(url, {"reform": reform.pk, "level": "not"}, follow=True)
        assert "您已在本轮评价过该改革" in response.content.decode()
    assert list(Rating.objects.values_list("level", "street")) == [("satisfied", personas.unit_a.pk)]


def test_votes_from_the_portal_stop_at_the_limit(client, personas, make_reform):
    candidates = [make_reform(level=ReformLevel.MICRO, title=f"微改革{n}") for n in range(3)]
    round_ = vote_round_create(actor=None, title="微改革大家评", candidates=candidates, votes_per_person=1, **ROUND)
    url = reverse("portal:vote_round", args=[round_.pk])
    client.force_login(personas.other_resident)
    with time_machine.travel(OPEN_DAY, tick=False):
        client.post(url, {"reform": candidates[0].pk})
        response = client.post(url, {"reform": candidates[1].pk}, follow=True)
    assert "您的票数已用完" in response.content.decode()
    assert Vote.objects.count() == 1


def test_an_expert_scores_on_the_sheet_and_the_published_ranking_reaches_the_portal(client, personas, make_reform):
    own, other = (
        make_reform(level=ReformLevel.MICRO, title="东门微改革", lead_unit=personas.unit_a),
        make_reform(level=ReformLevel.MICRO, title="桂园微改革", lead_unit=personas.unit_b),
    )
    panel = panel_create(actor=None, year=2024, title="微改革第三方评估", candidates=[own, other], excellent_count=1)
    panel_add_member(actor=None, panel=panel, user=personas.expert, affiliation="市政府发展研究中心")
    panel_add_member(actor=None, panel=panel, user=personas.unit_a_head, affiliation="东门街道")
    sheet = reverse("reforms:panel_score", args=[panel.pk])

    client.force_login(personas.unit_b_staff)
    assert client.get(sheet).status_code == 403
    client.force_login(personas.unit_a_head)
    assert "需回避评分" in client.get(sheet).content.decode()
    client.force_login(personas.expert)
    assert "专家评分" in client.get(reverse("portal:home")).content.decode()
    bad = client.post(
        sheet, {"reform": own.pk, f"{own.pk}-targeting": "12", f"{own.pk}-innovation": "8", f"{own.pk}-effect": "8"}
    )
    assert bad.status_code == 400 and "分值应在0到10之间" in bad.content.decode()
    assert not Score.objects.exists()
    for reform, value in ((own, "9"), (other, "7")):
        values = {f"{reform.pk}-{code}": value for code in ("targeting", "innovation", "effect")}
        assert client.post(sheet, {"reform": reform.pk, **values}).status_code == 302

    public = reverse("portal:panel_results", args=[panel.pk])
    assert client.get(public).status_code == 404  # not before publication
    client.force_login(personas.office_admin)
    client.post(reverse("reforms:panel_detail", args=[panel.pk]), {"action": "publish"})
    client.logout()
    html = client.get(public).content.decode()
    assert html.index("东门微改革") < html.index("桂园微改革") and "优秀" in html


@pytest.mark.parametrize(("persona", "status"), [("office_admin", 200), ("unit_a_staff", 200), ("resident", 403)])
def test_who_reads_the_evaluation_pages(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("reforms:evaluation")).status_code == status


def test_only_the_office_opens_rounds(client, personas, make_reform):
    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("reforms:evaluation_new", args=["rating"])).status_code == 403
    client.force_login(personas.office_admin)
    assert client.get(reverse("reforms:evaluation_new", args=["nonsense"])).status_code == 404
    reform = make_reform()
    response = client.post(
        reverse("reforms:evaluation_new", args=["rating"]),
        {"year": 2024, "title": "群众评", "opens_on": "2024-11-01", "closes_on": "2024-11-30", "reforms": [reform.pk]},
    )
    assert response.status_code == 302
