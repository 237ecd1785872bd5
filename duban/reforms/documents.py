"""The annual plan as .docx (the commission's document) and .xlsx (the office's working list)."""

from __future__ import annotations

from django.utils import timezone

from duban.core.official import official_docx
from duban.reforms.choices import PlanState, ReformLevel, SpecialGroup
from duban.reforms.models import AnnualPlan, Reform

CHINESE_NUMERALS = "一二三四五六七八九十"
PLAN_HEADERS = ["序号", "专项小组", "层级", "改革任务", "改革目标", "牵头区领导", "牵头单位", "配合单位", "完成时限"]


def _leaders(reform: Reform) -> str:
    return "、".join(leader.name for leader in reform.lead_leaders.all())


def _co_units(reform: Reform) -> str:
    return "、".join(unit.name for unit in reform.co_units.all())


def plan_rows(reforms: list[Reform]):
    for n, reform in enumerate(reforms, start=1):
        yield (
            n,
            str(SpecialGroup(reform.group).label),
            str(ReformLevel(reform.level).label),
            reform.title,
            reform.goals,
            _leaders(reform),
            reform.lead_unit.name,
            _co_units(reform),
            reform.deadline,
        )


def plan_docx(plan: AnnualPlan, reforms: list[Reform]) -> bytes:
    paragraphs = []
    group, section, n = None, 0, 0
    for reform in reforms:
        if reform.group != group:
            group = reform.group
            section += 1
            numeral = CHINESE_NUMERALS[section - 1] if section <= len(CHINESE_NUMERALS) else str(section)
            paragraphs.append(f"{numeral}、{SpecialGroup(group).label}")
        n += 1
        parts = [f"{n}. {reform.title}。{reform.goals.rstrip('。')}。"]
        if reform.lead_leaders.all():
            parts.append(f"牵头区领导：{_leaders(reform)}；")
        parts.append(f"牵头单位：{reform.lead_unit.name}；")
        if reform.co_units.all():
            parts.append(f"配合单位：{_co_units(reform)}；")
        parts.append(f"完成时限：{reform.deadline.year}年{reform.deadline.month}月。")
        paragraphs.append("".join(parts))
    approved = plan.state == PlanState.APPROVED
    return official_docx(
        title=plan.title,
        number=plan.document_number or ("" if approved else "（征求意见稿）"),
        recipient="",
        paragraphs=[f"（{plan.meeting}审议通过）" if approved else "（草案）", *paragraphs],
        issuer="中共深圳市罗湖区委全面深化改革委员会",
        date=plan.approved_on or timezone.localdate(),
    )
