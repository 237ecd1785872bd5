"""The call for proposals: who may propose, what is refused, and the public answers."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.core.workdays import on_day
from duban.reforms.choices import ProposalSource, ProposalState
from duban.reforms.models import Proposal
from duban.reforms.services import PROPOSALS_PER_PERSON, call_create, proposal_answer, proposal_submit

pytestmark = pytest.mark.django_db
D = dt.date
IN_NOVEMBER = on_day(D(2023, 11, 10), hour=10)


@pytest.fixture
def call(personas):
    return call_create(
        actor=personas.office_admin,
        year=2024,
        title="2024年度改革“金点子”征集",
        description="围绕营商环境、民生服务和基层治理征集改革建议。",
        opens_on=D(2023, 11, 1),
        closes_on=D(2023, 11, 30),
    )


def test_residents_streets_and_departments_propose_and_others_cannot(personas, call):
    from_resident = proposal_submit(
        actor=personas.resident, call=call, title="老旧小区加装电梯", text="简化审批", at=IN_NOVEMBER
    )
    from_street = proposal_submit(
        actor=personas.unit_a_staff, call=call, title="网格事项清单", text="统一清单", at=IN_NOVEMBER
    )
    from_office = proposal_submit(
        actor=personas.office_admin, call=call, title="改革评估", text="引入第三方", at=IN_NOVEMBER
    )
    assert (from_resident.source, from_resident.unit) == (ProposalSource.RESIDENT, None)
    assert (from_street.source, from_street.unit) == (ProposalSource.STREET, personas.unit_a)
    assert from_office.source == ProposalSource.DEPARTMENT

    for outsider in (personas.expert, personas.district_leader):
        with pytest.raises(PermissionDenied):
            proposal_submit(actor=outsider, call=call, title="建议", text="内容", at=IN_NOVEMBER)
    assert Proposal.objects.count() == 3


@pytest.mark.parametrize(
    ("title", "text", "field"),
    [("", "内容", "title"), ("建议", "   ", "text"), ("长" * 101, "内容", "title"), ("建议", "长" * 2001, "text")],
)
def test_empty_or_overlong_proposals_are_refused_and_nothing_is_saved(personas, call, title, text, field):
    with pytest.raises(ValidationError) as refused:
        proposal_submit(actor=personas.resident, call=call, title=title, text=text, at=IN_NOVEMBER)
    assert field in refused.value.message_dict
    assert not Proposal.objects.exists()


def test_a_closed_call_accepts_nothing_and_each_person_has_a_limit(personas, call):
    with pytest.raises(ValidationError, match="已截止"):
        proposal_submit(actor=personas.resident, call=call, title="建议", text="内容", at=on_day(D(2023, 12, 1)))
    for n in range(PROPOSALS_PER_PERSON):
        proposal_submit(actor=personas.resident, call=call, title=f"建议{n}", text="内容", at=IN_NOVEMBER)
    with pytest.raises(ValidationError):
        proposal_submit(actor=personas.resident, call=call, title="再一条", text="内容", at=IN_NOVEMBER)
    assert Proposal.objects.count() == PROPOSALS_PER_PERSON


def test_each_proposal_is_answered_once_and_an_adoption_names_its_reform(personas, call, make_reform):
    adopted = proposal_submit(actor=personas.resident, call=call, title="电梯", text="简化审批", at=IN_NOVEMBER)
    twin = proposal_submit(actor=personas.other_resident, call=call, title="加装电梯", text="同上", at=IN_NOVEMBER)
    reform = make_reform(title="老旧小区加装电梯审批改革")
    with pytest.raises(ValidationError):
        proposal_answer(actor=personas.office_admin, proposal=adopted, state="adopted", answer="采纳")
    proposal_answer(actor=personas.office_admin, proposal=adopted, state="adopted", answer="采纳", reform=reform)
    proposal_answer(actor=personas.office_admin, proposal=twin, state="merged", answer="合并办理", merged_into=adopted)
    with pytest.raises(ValidationError):
        proposal_answer(actor=personas.office_admin, proposal=twin, state="declined", answer="不予采纳")
    with pytest.raises(PermissionDenied):
        proposal_answer(actor=personas.unit_a_staff, proposal=twin, state="declined", answer="x")
    assert list(reform.proposals.all()) == [adopted]
    assert Proposal.objects.get(pk=twin.pk).state == ProposalState.MERGED


def test_the_public_page_shows_answers_without_naming_residents(client, personas, call):
    script = '<script>alert("x")</script>'
    with time_machine.travel(IN_NOVEMBER, tick=False):
        proposal_submit(actor=personas.resident, call=call, title="夜间经济", text=script)
        html = client.get(reverse("portal:call_detail", args=[call.pk])).content.decode()
    assert "夜间经济" in html and "&lt;script&gt;" in html and script not in html
    assert personas.resident.phone not in html and str(personas.resident) not in html
    assert "使用手机号登录后提出建议" in html


def test_a_resident_proposes_from_the_portal(client, personas, call):
    client.force_login(personas.resident)
    with time_machine.travel(IN_NOVEMBER, tick=False):
        response = client.post(
            reverse("portal:call_detail", args=[call.pk]), {"title": "口袋公园", "text": "利用边角地"}
        )
        assert response.status_code == 302
        response = client.post(reverse("portal:call_detail", args=[call.pk]), {"title": "", "text": "没有标题"})
    assert response.status_code == 400
    assert list(Proposal.objects.values_list("title", flat=True)) == ["口袋公园"]
    client.force_login(personas.expert)
    with time_machine.travel(IN_NOVEMBER, tick=False):
        assert (
            client.post(reverse("portal:call_detail", args=[call.pk]), {"title": "a", "text": "b"}).status_code == 403
        )
