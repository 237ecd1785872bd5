"""Urban renewal's pages as each persona reaches them: who sees what (contacts only for case
officers), a case from application to agreement on the pages, refusals that change nothing, the
funds dashboard and the statistics workbook."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from duban.renewal.choices import CaseState, PartySide
from duban.renewal.models import MediationCase, RenewalEvent
from duban.renewal.tests.conftest import applied, mediating, opened, pdf

pytestmark = pytest.mark.django_db
OWNER_PHONE = "13800000001"


def test_who_reaches_which_page(client, personas, bureau):
    case = applied(bureau)
    project_url = reverse("renewal:project_detail", args=[bureau.project.pk])
    case_url = reverse("renewal:case_detail", args=[case.pk])
    assert client.get(project_url).status_code == 302  # anonymous: to the sign-in page
    for user, home, project, with_phone in [
        (bureau.officer, 200, 200, True), (bureau.head, 200, 200, False), (personas.supervisor, 200, 200, False),
        (personas.unit_a_staff, 200, 200, False), (personas.unit_b_staff, 200, 404, False),
        (personas.resident, 403, 404, False), (personas.expert, 403, 404, False),
    ]:  # fmt: skip
        client.force_login(user)
        assert client.get(reverse("renewal:home")).status_code == home, user
        page = client.get(project_url)
        assert page.status_code == project, user
        if project == 200:
            assert (OWNER_PHONE in page.content.decode()) is with_phone, user
            case_page = client.get(case_url)
            assert case_page.status_code == 200
            assert ("13800000004" in case_page.content.decode()) is with_phone, user  # the party's phone
        else:
            assert client.get(case_url).status_code == 404
    client.force_login(personas.unit_b_staff)
    assert bureau.project.name not in client.get(reverse("renewal:home")).content.decode()
    start = reverse("renewal:case_start") + f"?project={bureau.project.pk}"
    assert client.get(start).status_code == 404
    client.force_login(bureau.officer)
    assert client.get(start).url == reverse("renewal:case_new", args=[bureau.project.pk])
    assert client.get(reverse("renewal:case_start") + "?project=x").status_code == 404


def test_an_application_registered_accepted_and_settled_on_the_pages(client, personas, bureau):
    client.force_login(bureau.officer)
    owner = bureau.project.households.get(label="4栋101")
    today = timezone.localdate().isoformat()
    form = {"origin": "application", "claim_type": "area", "claim": "要求重新认定房屋面积。",
            "p0_side": "developer", "p0_name": bureau.project.developer, "p0_consented_on": today,
            "p1_side": "relocated", "p1_household": owner.pk}  # fmt: skip
    response = client.post(reverse("renewal:case_new", args=[bureau.project.pk]), form)
    case = MediationCase.objects.get()
    assert response.status_code == 302 and case.parties.count() == 2
    url = reverse("renewal:case_detail", args=[case.pk])
    events = RenewalEvent.objects.count()
    refused = client.post(reverse("renewal:case_step", args=[case.pk, "accept"]),
                          {"accept-mediators": [p.pk for p in bureau.mediators]})  # fmt: skip
    assert refused.status_code == 400 and "业主4" in refused.content.decode()
    assert MediationCase.objects.get().state == CaseState.APPLIED and RenewalEvent.objects.count() == events
    owner_party = case.parties.get(household=owner)
    client.post(reverse("renewal:party_consent", args=[owner_party.pk]), {f"party{owner_party.pk}-consented_on": today})
    one = client.post(
        reverse("renewal:case_step", args=[case.pk, "accept"]), {"accept-mediators": [bureau.officer.person.pk]}
    )
    assert one.status_code == 400 and MediationCase.objects.get().state == CaseState.APPLIED
    client.post(reverse("renewal:case_step", args=[case.pk, "accept"]),
                {"accept-mediators": [p.pk for p in bureau.mediators]})  # fmt: skip
    assert MediationCase.objects.get().state == CaseState.MEDIATING
    assert client.get(reverse("renewal:case_notice", args=[case.pk]))["Content-Type"].startswith("application/vnd")
    client.post(
        reverse("renewal:session_add", args=[case.pk]),
        {
            "held_on": today,
            "place": "东门街道会议室",
            "mediators": [p.pk for p in bureau.mediators],
            "attendees": "双方",
            "minutes": "双方同意按测绘结果认定面积。",
            "files": [pdf("签到表.pdf")],
        },
    )
    assert case.sessions.get().documents.count() == 1
    client.post(reverse("renewal:agreement_save", args=[case.pk]),
                {"facts": "面积认定争议。", "terms": "按测绘报告认定建筑面积92.3平方米。"})  # fmt: skip
    page = client.get(url).content.decode()
    assert "按测绘报告认定" in page
    signed = {f"settle-signed_{p.pk}": today for p in case.parties.all()}
    client.post(reverse("renewal:case_step", args=[case.pk, "settle"]), signed)
    case.refresh_from_db()
    assert case.state == CaseState.SETTLED and case.agreement_number
    agreement = client.get(reverse("renewal:case_agreement", args=[case.pk]))
    assert agreement.status_code == 200 and b"".join(agreement.streaming_content).startswith(b"PK")


def test_only_case_officers_change_cases_on_the_pages(client, personas, bureau):
    case = mediating(bureau)
    for user in (personas.unit_a_staff, personas.supervisor, bureau.head):
        client.force_login(user)
        client.post(
            reverse("renewal:case_step", args=[case.pk, "terminate"]),
            {"terminate-end_reason": "withdrawn", "terminate-referral": "review", "terminate-reason": "撤回"},
        )
        assert client.post(reverse("renewal:agreement_save", args=[case.pk]),
                           {"facts": "x", "terms": "y"}).status_code == 403  # fmt: skip
    case.refresh_from_db()
    assert case.state == CaseState.MEDIATING and not case.terms


def test_the_funds_dashboard_and_the_statistics_workbook(client, personas, bureau):
    account = opened(bureau)
    client.force_login(bureau.officer)
    client.post(
        reverse("renewal:reach_add", args=[account.pk]),
        {"milestone": "topped_out", "reached_on": timezone.localdate().isoformat(), "evidence": pdf()},
    )
    rule = account.rules.get(milestone="topped_out")
    refused = client.post(reverse("renewal:release_add", args=[account.pk]), {"rule": rule.pk, "amount": "40000000"})
    assert refused.status_code == 400 and not account.releases.exists()
    client.post(reverse("renewal:release_add", args=[account.pk]), {"rule": rule.pk, "amount": "12,500,000.00"})
    release = account.releases.get()
    client.force_login(bureau.head)
    client.post(reverse("renewal:release_step", args=[release.pk, "approve"]))
    client.force_login(bureau.officer)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = client.post(reverse("renewal:release_step", args=[release.pk, "transfer"]),
                          {"transfer-released_on": tomorrow, "transfer-voucher": "ZJ-9"})  # fmt: skip
    assert refused.status_code == 400 and "不晚于今天" in refused.content.decode()
    assert account.releases.get().state == "approved"
    client.post(reverse("renewal:release_step", args=[release.pk, "transfer"]),
                {"transfer-released_on": timezone.localdate().isoformat(), "transfer-voucher": "ZJ-9"})  # fmt: skip
    client.force_login(personas.supervisor)
    page = client.get(reverse("renewal:funds"))
    assert page.context["totals"][2] == 12_500_000
    mediating(bureau)
    book = client.get(reverse("renewal:statistics") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(book.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "全年"
    assert rows[-1][1] == 1  # one compensation claim received this year


def test_settings_are_the_heads_and_the_offices(client, personas, bureau):
    client.force_login(bureau.officer)
    assert client.get(reverse("renewal:settings")).status_code == 403
    client.force_login(bureau.head)
    response = client.post(reverse("renewal:settings"), {"kind": "settings", "bureau": bureau.unit.pk,
                                                          "mediation_working_days": 15, "extension_working_days": 10,
                                                          "extensions_allowed": 1, "consent_threshold": "95",
                                                          "district_threshold": "50000000"})  # fmt: skip
    assert response.status_code == 302
    assert mediating(bureau).ends_on > timezone.localdate()
    from duban.renewal.models import RenewalSettings

    assert RenewalSettings.current().mediation_working_days == 15


def test_cases_are_found_by_a_partys_name_the_projects_name_or_the_number_within_the_users_reach(
    client, personas, bureau
):
    case = applied(bureau)
    url = reverse("renewal:cases")
    client.force_login(bureau.officer)
    party = case.parties.exclude(side=PartySide.DEVELOPER).select_related("household").get()
    owner = party.name
    for query in [owner, party.household.label, "老街片区", case.number]:
        assert case.number in client.get(url, {"q": query}).content.decode(), query
    assert case.number not in client.get(url, {"q": "业主9"}).content.decode()
    client.force_login(personas.unit_b_staff)  # the project is not in their street
    assert case.number not in client.get(url, {"q": owner}).content.decode()
