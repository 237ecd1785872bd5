"""Which column of an office's own ledger is which field: proposed from the names offices use.

Each field lists its names, the most specific first; a column takes the field whose name it
carries (after dropping spaces, line breaks, asterisks, a trailing colon and notes in brackets,
as in "整改时限（年月日）"). Two columns named for one field: the more specific name wins and the
other is kept as extra data, like every column no field claims — nothing is dropped.
"""

from __future__ import annotations

import re

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# field -> the names offices give its column, most specific first
SYNONYMS: dict[str, list[str]] = {  # fmt: skip
    # 序号 is no id: it numbers the rows of one sheet, and next month's sheet numbers them anew.
    "external_id": ["外部编号", "问题编号", "事项编号", "任务编号", "编号"],
    "title": [
        "事项名称",
        "任务名称",
        "整改事项",
        "审计发现问题",
        "发现问题",
        "存在问题",
        "问题描述",
        "问题",
        "改革事项",
        "改革任务",
        "重点任务",
        "事项",
    ],
    "lead_unit": ["牵头单位", "责任单位", "整改责任单位", "主责单位", "承办单位", "牵头部门", "责任部门", "整改单位"],
    "co_units": ["协办单位", "配合单位", "协同单位", "配合部门", "协办部门"],
    "deadline": [
        "办理期限",
        "整改时限",
        "整改期限",
        "完成时限",
        "办结时限",
        "完成时间",
        "截止时间",
        "时限要求",
        "时限",
    ],
    "deadline_working_days": ["自交办起工作日数"],
    "basis_kind": ["任务来源", "问题来源", "来源"],
    "basis_document": ["来源文号", "依据文号", "审计报告文号", "报告文号", "文号"],
    "category": ["问题类别", "问题类型", "类别", "分类"],
    "urgency": ["缓急程度", "紧急程度"],
    "rectification_type": ["整改类型", "整改方式"],
    "content": ["内容", "具体内容", "任务内容", "工作内容"],
    "done": ["是否完成整改", "是否完成", "是否办结", "完成情况", "办结情况", "是否销号", "整改结果"],
    "progress_text": ["整改进展情况", "进展情况", "工作进展", "推进情况", "整改进展", "进展"],
    # an audit rectification ledger's own records: the audit project and the finding (rectification)
    "audit_project": ["审计项目", "审计项目名称", "项目名称"],
    "audited_unit": ["被审计单位"],
    "amount": ["涉及金额", "问题金额", "金额"],
    "requirement": ["整改要求", "审计建议", "审计意见"],
    # a campaign ledger's own records: where the problem is (a problem report, campaigns)
    "address": ["问题地址", "问题点位", "问题位置", "详细地址", "具体位置", "具体地点", "点位", "地址", "位置", "地点"],
    # a reform ledger's own records: the reform (reforms)
    "special_group": ["专项小组", "所属专项小组", "责任专项小组"],
    "reform_level": ["改革层级", "任务层级", "改革类型", "层级"],
    "goals": ["改革目标", "目标任务", "工作目标", "目标"],
}
FIELDS = list(SYNONYMS)
AUDIT_FIELDS = ("audit_project", "audited_unit", "amount", "requirement")
REFORM_FIELDS = ("special_group", "reform_level", "goals")
CAMPAIGN_FIELDS = ("address",)
# The fields a ledger kind reads beyond every ledger's (a context's own records)
KIND_FIELDS = {"audit": AUDIT_FIELDS, "reform": REFORM_FIELDS, "campaign": CAMPAIGN_FIELDS}
SUBJECT_FIELDS = frozenset(name for names in KIND_FIELDS.values() for name in names)
REQUIRED = ("title", "lead_unit")
_NAME_OF = {name: (field, rank) for field, names in SYNONYMS.items() for rank, name in enumerate(names)}
_NOISE = re.compile(r"[\s*★※：:]+|[（(][^）)]*[)）]")


def clean_header(text) -> str:
    return _NOISE.sub("", str(text or ""))


def field_of(header) -> tuple[str, int] | None:
    """The field a header names, and how specific the name is (0 is the most)."""
    return _NAME_OF.get(clean_header(header))


def header_score(row: list) -> int:
    """How many of a row's cells name a field: the header row names the most."""
    return len({found[0] for value in row if isinstance(value, str) and (found := field_of(value))})


def fields_for(kind: str) -> list[str]:
    """The fields a ledger of `kind` reads: an audit's or a reform's own only in a ledger of theirs."""
    others = {name for other, names in KIND_FIELDS.items() if other != kind for name in names}
    return [name for name in FIELDS if name not in others]


def propose(headers: list[str], kind: str = "") -> dict[int, str]:
    """{column index: field} for the columns that name a field; the others are extra data."""
    known = set(fields_for(kind))
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        found = field_of(header)
        if found and found[0] in known and (found[0] not in best or found[1] < best[found[0]][1]):
            best[found[0]] = (index, found[1])
    return {index: field for field, (index, _rank) in best.items()}


EXTRA = ""  # a column kept on each item as an other column


def choose(
    headers: list[str], remembered: dict[str, str], chosen: dict[int, str] | None = None, kind: str = ""
) -> dict[int, str]:
    """{column index: field}: the user's choice for this file when given, else what the office
    chose before for a column of that name, else the proposal from the names offices use."""
    known = set(fields_for(kind))
    if chosen is not None:
        return {index: name for index, name in chosen.items() if name != EXTRA and name in known}
    mapped = propose(headers, kind)
    for index, header in enumerate(headers):
        key = clean_header(header)
        if key in remembered and (remembered[key] == EXTRA or remembered[key] in known):
            mapped.pop(index, None)
            name = remembered[key]
            if name != EXTRA:
                mapped = {i: f for i, f in mapped.items() if f != name}
                mapped[index] = name
    return mapped


def remembered_form(headers: list[str], mapped: dict[int, str]) -> dict[str, str]:
    """What to remember of a mapping: every named column's field, or EXTRA."""
    return {clean_header(header): mapped.get(index, EXTRA) for index, header in enumerate(headers) if header.strip()}


IMPORT_ONLY_LABELS = {
    "co_units": _("Co-units"),
    "done": _("Rectified (yes or no)"),
    "progress_text": _("Progress so far"),
    "audit_project": _("audit project"),
    "audited_unit": _("audited unit"),
    "amount": _("Amount involved"),
    "requirement": _("rectification requirement"),
    "special_group": _("special group"),
    "reform_level": _("level"),
    "goals": _("goals"),
    "address": _("address"),
}


def field_label(name: str) -> str:
    """A field an imported column can be read as, named as on the item's page."""
    from duban.ledger.models import Item

    return str(capfirst(IMPORT_ONLY_LABELS.get(name) or Item._meta.get_field(name).verbose_name))
