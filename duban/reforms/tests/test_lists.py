"""Long reform lists page, with their filter kept; the plan's and the appraisal's downloads hold what
their page shows."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from duban.core.testing import link_href, xlsx_data_rows, xlsx_workbook
from duban.reforms.choices import ReformLevel, SpecialGroup
from duban.reforms.models import Proposal, ProposalCall, Reform
from duban.reforms.views.plans import PROPOSALS_PAGE

pytestmark = pytest.mark.django_db


def _reforms(personas, n: int, year: int, level=ReformLevel.KEY):
    Reform.objects.bulk_create(
        Reform(
            year=year,
            level=level,
            group=SpecialGroup.INDUSTRY,
            title=f"{year}年改革{i:03d}",
            goals="目标",
            deadline=dt.date(year, 12, 31),
            lead_unit=personas.unit_a,
        )
        for i in range(n)
    )


def _query(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def test_the_reform_list_pages_and_its_page_links_keep_the_filter(client, personas):
    _reforms(personas, 57, 2024)
    _reforms(personas, 3, 2023)
    client.force_login(personas.office_admin)
    url = reverse("reforms:reform_list")

    first = client.get(url, {"year": 2024})
    following = link_href(first.content.decode(), 'rel="next"', url)
    second = client.get(following)

    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 57
    assert _query(following) == {"year": ["2024"], "page": ["2"]}
    assert len(second.context["page"]) == 7
    assert {reform.year for reform in [*first.context["page"], *second.context["page"]]} == {2024}
    assert 'rel="next"' not in second.content.decode()


def test_the_public_reforms_of_a_year_page_and_keep_the_year(client, personas):
    _reforms(personas, 55, 2024)
    _reforms(personas, 2, 2023)
    url = reverse("portal:reforms")

    first = client.get(url, {"year": 2024})
    following = link_href(first.content.decode(), 'rel="next"', url)

    assert _query(following) == {"year": ["2024"], "page": ["2"]}
    assert [reform.year for reform in client.get(following).context["page"]] == [2024] * 5


def test_an_answered_proposal_leads_back_to_the_page_it_is_on(client, personas):
    call = ProposalCall.objects.create(
        year=2024, title="征集", description="征集", opens_on=dt.date(2023, 11, 1), closes_on=dt.date(2023, 11, 30)
    )
    Proposal.objects.bulk_create(
        Proposal(call=call, title=f"建议{n}", text="内容", source="resident", author=personas.resident)
        for n in range(PROPOSALS_PAGE + 5)
    )
    last = Proposal.objects.order_by("created_at", "id").last()
    client.force_login(personas.office_admin)

    page = client.get(reverse("reforms:call_detail", args=[call.pk]))
    answered = client.post(
        reverse("reforms:proposal_answer", args=[last.pk]),
        {f"p{last.pk}-state": "declined", f"p{last.pk}-answer": "不予采纳"},
    )

    assert len(page.context["rows"]) == PROPOSALS_PAGE
    assert answered.url.endswith(f"?page=2#proposal-{last.pk}")
    assert f'id="proposal-{last.pk}"' in client.get(answered.url.split("#")[0]).content.decode()


def test_the_plan_download_lists_the_reforms_on_the_plan_page(client, personas, make_reform):
    make_reform(title="商事登记“秒批”改革")
    make_reform(title="工程建设项目审批改革", level=ReformLevel.MUNICIPAL)
    client.force_login(personas.unit_a_staff)
    url = reverse("reforms:plan_detail", args=[2024])

    page = client.get(url)
    rows = xlsx_data_rows(xlsx_workbook(client.get(link_href(page.content.decode(), "format=xlsx", url))).active)

    assert [row[3] for row in rows] == [reform.title for reform in page.context["reforms"]]
    assert isinstance(rows[0][8], dt.datetime) and rows[0][8].date() == dt.date(2024, 12, 31)


def test_the_appraisal_download_ranks_the_units_of_the_appraisal_page(client, personas, make_reform):
    make_reform()
    client.force_login(personas.office_admin)
    url = reverse("reforms:appraisal_detail", args=[2024])

    page = client.get(url)
    rows = xlsx_data_rows(xlsx_workbook(client.get(link_href(page.content.decode(), "format=xlsx", url))).active)

    assert [(row[1], row[2]) for row in rows] == [(r.rank, r.unit.name) for r in page.context["rows"]]
