"""The rules pages as each persona uses them: who sees what, who may change what, and forms that
refuse bad input without changing anything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from duban.rules import services
from duban.rules.choices import ActionKind, ActionStage, RuleStatus
from duban.rules.models import Rule
from duban.rules.tests.conftest import assigned_and_signed, due, word_file

pytestmark = pytest.mark.django_db


def test_officials_read_the_registry_residents_and_visitors_do_not(client, personas, meeting_rule):
    url = reverse("rules:rule_list")
    client.force_login(personas.unit_b_staff)
    page = client.get(url + "?q=议事").content.decode()
    assert meeting_rule.title in page
    assert client.get(reverse("rules:rule_detail", args=[meeting_rule.pk])).status_code == 200
    client.force_login(personas.resident)
    assert client.get(url).status_code == 403
    assert client.get(reverse("rules:rule_detail", args=[meeting_rule.pk])).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_a_unit_registers_its_rule_from_a_word_file(client, personas, category):
    client.force_login(personas.unit_a_staff)
    form = client.get(reverse("rules:rule_new")).content.decode()
    assert personas.unit_a.name in form and personas.unit_b.name not in form
    response = client.post(
        reverse("rules:rule_new"),
        {
            "issuing_unit": personas.unit_a.pk, "category": category.pk, "title": "东门街道印章管理制度",
            "kind": "system", "scope": "internal", "document_number": "罗东办〔2023〕2号",
            "adopted_on": "2023-02-01", "effective_on": "2023-02-01", "upload": word_file("第一条 印章由专人保管"),
        },
    )  # fmt: skip
    rule = Rule.objects.get()
    assert response.status_code == 302 and rule.text == "第一条 印章由专人保管"
    page = client.get(reverse("rules:rule_detail", args=[rule.pk])).content.decode()
    assert "制度.docx" in page and "现行有效" in page
    version = rule.versions.get()
    download = client.get(reverse("rules:version_file", args=[version.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")


def test_another_unit_cannot_register_rules_for_it(client, personas):
    client.force_login(personas.unit_b_staff)
    response = client.post(
        reverse("rules:rule_new"),
        {"issuing_unit": personas.unit_a.pk, "title": "越权制度", "kind": "system", "scope": "internal",
         "document_number": "x", "adopted_on": "2023-02-01", "effective_on": "2023-02-01"},
    )  # fmt: skip
    assert response.status_code == 400 and not Rule.objects.exists()


def test_the_unit_moves_its_action_and_a_bad_issue_form_changes_nothing(client, personas, plan, meeting_rule):
    action = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.AMEND, rule=meeting_rule, deadline=due(),
        summary="增加议题公示条款",
    )  # fmt: skip
    assigned_and_signed(personas, action)
    client.force_login(personas.unit_b_staff)
    page = client.get(reverse("rules:action_detail", args=[action.pk])).content.decode()
    assert "提交集体审议" not in page
    assert client.post(reverse("rules:action_step", args=[action.pk, "to_deliberation"])).status_code == 403

    client.force_login(personas.unit_a_staff)
    assert "提交集体审议" in client.get(reverse("rules:action_detail", args=[action.pk])).content.decode()
    client.post(reverse("rules:action_step", args=[action.pk, "to_deliberation"]), {"reason": ""})
    action.refresh_from_db()
    assert action.stage == ActionStage.DELIBERATION
    response = client.post(
        reverse("rules:action_step", args=[action.pk, "issue"]),
        {"reason": "党工委会议", "document_number": "罗东党〔2026〕3号", "adopted_on": "2026-11-30"},
    )
    assert response.status_code == 400 and "生效日期" in response.content.decode()
    action.refresh_from_db()
    assert action.stage == ActionStage.DELIBERATION and action.document_number == ""
    response = client.post(
        reverse("rules:action_step", args=[action.pk, "issue"]),
        {"reason": "党工委会议", "document_number": "罗东党〔2026〕3号", "adopted_on": "2026-11-30",
         "effective_on": "2026-12-01", "upload": word_file("第一条 议题应提前公示")},
    )  # fmt: skip
    action.refresh_from_db()
    assert response.status_code == 302 and action.stage == ActionStage.ISSUED and "议题应提前公示" in action.text
    client.post(reverse("rules:action_step", args=[action.pk, "publish"]))
    action.refresh_from_db()
    meeting_rule.refresh_from_db()
    assert action.stage == ActionStage.PUBLISHED and meeting_rule.status == RuleStatus.REVISING


def _registered(personas, category, title: str, number: str, text: str, scope: str = "internal") -> Rule:
    return services.rule_register(
        actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title=title, kind="system", scope=scope,
        category=category, document_number=number, adopted_on=dt.date(2023, 2, 1), effective_on=dt.date(2023, 2, 1),
        upload=word_file(text),
    )  # fmt: skip


def test_the_registry_finds_a_word_of_the_text_an_exact_number_first_and_walks_a_word_many_rules_hold(
    client, personas, category, monkeypatch
):
    from duban.core import search

    citing = _registered(
        personas,
        category,
        "东门街道会议管理制度",
        "罗东办〔2023〕12号",
        "第一条 依据罗东办〔2023〕2号，会议由办公室组织",
    )
    seals = _registered(personas, category, "东门街道印章管理制度", "罗东办〔2023〕2号", "第一条 印章由专人保管")
    client.force_login(personas.unit_b_staff)
    url = reverse("rules:rule_list")

    page = client.get(url, {"q": "专人保管"}).content.decode()
    assert seals.title in page and citing.title not in page
    page = client.get(url, {"q": "罗东办〔2023〕2号"}).content.decode()
    assert page.index(seals.title) < page.index(citing.title)  # the exact number first, though registered later
    assert "不存在的词语" not in client.get(url, {"q": "不存在的词语"}).content.decode().split("</form>")[1]

    monkeypatch.setattr(search, "COMMON", 1)  # more matches than COMMON: the list's order, walked
    page = client.get(url, {"q": "管理制度"}).content.decode()
    assert page.index(citing.title) < page.index(seals.title)


def test_the_portal_search_shows_public_rules_in_force_only(client, personas, category):
    public = _registered(
        personas, category, "东门街道门前三包管理办法", "罗东规〔2023〕3号", "第一条 门前三包", "public"
    )
    internal = _registered(personas, category, "东门街道门前三包考核细则", "罗东办〔2023〕4号", "第一条 门前三包")
    page = client.get(reverse("portal:policies"), {"q": "门前三包"}).content.decode()
    assert public.title in page and internal.title not in page
