"""制度汇编: a compilation shows the rules as they stand while a draft, and once issued holds the
versions it was issued with, whatever is revised later; its book and index download."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from duban.core.errors import TransitionError
from duban.ledger.services import item_transition
from duban.rules import compilation as compilations
from duban.rules import services
from duban.rules.choices import ActionKind, RuleStatus
from duban.rules.tests.conftest import assigned_and_signed, due

pytestmark = pytest.mark.django_db


def _amended(personas, plan, rule, number):
    action = services.action_add(actor=personas.unit_a_staff, plan=plan, kind=ActionKind.AMEND, rule=rule,
                                 deadline=due(), summary="修订")  # fmt: skip
    assigned_and_signed(personas, action)
    services.action_step(actor=personas.unit_a_staff, action=action, code="to_deliberation")
    fields = {"reason": "党工委会议", "document_number": number, "adopted_on": due(), "effective_on": due(),
              "text": "第一条 修订后"}  # fmt: skip
    services.action_step(actor=personas.unit_a_staff, action=action, code="issue", **fields)
    action = services.action_step(actor=personas.unit_a_staff, action=action, code="publish")
    item_transition(actor=personas.supervisor, item=action.item, action="accept", reason="核验通过")


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_an_issued_compilation_never_changes_after_a_revision(client, personas, plan, meeting_rule):
    compilation = compilations.compilation_create(
        actor=personas.unit_a_staff, unit=personas.unit_a, title="东门街道工作制度汇编", units=[personas.unit_a]
    )
    assert [v.number for _h, v in compilations.compilation_contents(compilation)] == [1]
    compilations.compilation_issue(actor=personas.unit_a_staff, compilation=compilation)
    _amended(personas, plan, meeting_rule, "罗东党〔2026〕20号")
    meeting_rule.refresh_from_db()
    assert (meeting_rule.version, meeting_rule.status) == (2, RuleStatus.IN_FORCE)

    [(heading, version)] = compilations.compilation_contents(compilation)
    assert (heading, version.number, version.document_number) == ("政务会务", 1, "罗东党〔2021〕5号")
    book = _text(compilations.compilation_docx(compilation))
    assert "东门街道工作制度汇编" in book and "目录" in book and "一、政务会务" in book
    assert "罗东党〔2021〕5号" in book and "罗东党〔2026〕20号" not in book and "第一条 为规范党工委会议……" in book

    with pytest.raises(TransitionError):
        compilations.compilation_issue(actor=personas.unit_a_staff, compilation=compilation)
    assert compilation.entries.count() == 1

    client.force_login(personas.unit_b_staff)
    index = client.get(reverse("rules:compilation_download", args=[compilation.pk, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(b"".join(index.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][1:5] == ("政务会务", "东门街道党工委会议议事规则", "东门街道", "罗东党〔2021〕5号")
    page = client.get(reverse("rules:compilation_detail", args=[compilation.pk])).content.decode()
    assert "v1" in page and "东门街道党工委会议议事规则" in page and "/issue/" not in page  # issued, by another unit


def test_a_draft_follows_the_rules_and_only_its_unit_issues_it(personas, plan, meeting_rule):
    compilation = compilations.compilation_create(
        actor=personas.unit_a_staff, unit=personas.unit_a, title="汇编（草稿）", units=[personas.unit_a]
    )
    _amended(personas, plan, meeting_rule, "罗东党〔2026〕21号")
    [(_heading, version)] = compilations.compilation_contents(compilation)
    assert version.number == 2
    assert "未印发" in _text(compilations.compilation_docx(compilation))
    with pytest.raises(PermissionDenied):
        compilations.compilation_issue(actor=personas.unit_b_staff, compilation=compilation)
    compilation.refresh_from_db()
    assert compilation.issued_at is None and not compilation.entries.exists()


def test_a_compilation_of_nothing_is_not_issued(personas):
    compilation = compilations.compilation_create(
        actor=personas.unit_b_staff, unit=personas.unit_b, title="空汇编", units=[personas.unit_b]
    )
    with pytest.raises(ValidationError):
        compilations.compilation_issue(actor=personas.unit_b_staff, compilation=compilation)
    compilation.refresh_from_db()
    assert compilation.state == "draft"
