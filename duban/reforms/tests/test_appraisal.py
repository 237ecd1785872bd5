"""年度改革考评: the arithmetic exactly, then a year's rows from reforms, panels, bonuses and the feed."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from duban.core.testing import official_document
from duban.ledger.models import ItemEvent
from duban.reforms.appraisal import appraisal_of, bonus_add, grade, rows, total
from duban.reforms.choices import DEFAULT_APPRAISAL_RULES, ReformLevel
from duban.reforms.rounds import panel_add_member, panel_create, panel_publish, score_submit
from duban.reforms.services import reform_decompose
from duban.reforms.tests.conftest import MARCH

D = Decimal
GRADES = DEFAULT_APPRAISAL_RULES["grades"]


@pytest.mark.parametrize(
    ("bonuses", "deductions", "expected"),
    [(0, 0, "100"), (8, 0, "108"), (14, 0, "110"), (14, 3, "107"), (0, 5, "95"), (0, 150, "0")],
)
def test_the_total_caps_bonuses_and_stops_at_the_floor(bonuses, deductions, expected):
    assert total(D(100), D(bonuses), D(deductions), D(10), D(0)) == D(expected)


@pytest.mark.parametrize(
    ("score", "label"), [("110", "好"), ("105", "好"), ("104.5", "较好"), ("90", "一般"), ("89.9", "较差")]
)
def test_grades_by_threshold(score, label):
    assert grade(D(score), GRADES) == label


@pytest.mark.django_db
def test_a_years_rows_add_excellent_reforms_and_bonuses_and_deduct_for_no_reform_and_the_feed(
    client, personas, make_reform
):
    micro = make_reform(level=ReformLevel.MICRO, title="东门微改革")
    reform_decompose(actor=personas.office_admin, reform=micro, milestones=[], at=MARCH)
    micro.refresh_from_db()
    panel = panel_create(actor=None, year=2024, title="评估", candidates=[micro], excellent_count=1)
    member = panel_add_member(actor=None, panel=panel, user=personas.expert, affiliation="市委改革办")
    score_submit(actor=member.user, panel=panel, reform=micro, scores={"targeting": 9, "innovation": 9, "effect": 9})
    panel_publish(actor=None, panel=panel)
    appraisal = appraisal_of(2024)
    bonus_add(
        actor=personas.office_admin, appraisal=appraisal, unit=personas.unit_a, kind="provincial", note="省级表彰"
    )
    ItemEvent.objects.filter(item=micro.item).update(
        points=-2, year=2024, unit=personas.unit_a
    )  # the feed's deductions

    by_unit = {row.unit.name: row for row in rows(appraisal)}

    east, west = by_unit["东门街道"], by_unit["桂园街道"]
    assert (east.bonus, east.deductions, east.score, east.rank, east.grade) == (D(6), D(4), D(102), 1, "较好")
    assert (west.bonus, west.deductions, west.score, west.rank) == (D(0), D(5), D(95), 2)  # no reform this year
    assert [label for label, _points in west.deduction_items] == ["本年度无改革项目"]

    with pytest.raises(ValidationError):
        bonus_add(actor=personas.office_admin, appraisal=appraisal, unit=personas.unit_a, kind="national", note=" ")
    with pytest.raises(PermissionDenied):
        bonus_add(actor=personas.unit_a_staff, appraisal=appraisal, unit=personas.unit_a, kind="national", note="x")

    client.force_login(personas.unit_b_staff)
    response = client.get(reverse("reforms:appraisal_detail", args=[2024]), {"format": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert sheet[1][:9] == ("街道", 1, "东门街道", 1, 100, 6, 4, 102, "较好")
    docx = client.get(reverse("reforms:appraisal_detail", args=[2024]), {"format": "docx"})
    text = [p.text for p in official_document(docx.content).paragraphs]
    assert "街道第1名：东门街道，总分102，等次较好。" in text
