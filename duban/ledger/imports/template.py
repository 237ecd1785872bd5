"""The template a ledger office may fill in when it keeps no ledger of its own yet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# (field, header in the template, required)
COLUMNS = [
    ("external_id", "外部编号", True),
    ("title", "事项名称", True),
    ("lead_unit", "牵头单位", True),
    ("co_units", "协办单位", False),
    ("deadline", "办理期限", False),
    ("deadline_working_days", "自交办起工作日数", False),
    ("basis_kind", "任务来源", False),
    ("basis_document", "来源文号", False),
    ("category", "类别", False),
    ("urgency", "缓急程度", False),
    ("rectification_type", "整改类型", False),
    ("content", "内容", False),
]
HEADERS = {name: title for name, title, _required in COLUMNS}
EXAMPLE = [
    "2024-001", "推进专项资金拨付", "东门街道", "区财政局、区审计局", "2024-06-30", "", "审计报告", "罗审报〔2024〕3号",
    "预算执行审计", "一般", "分阶段整改", "限期拨付并建立资金拨付台账",
]  # fmt: skip


def template_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet.append([header + ("*" if required else "") for _field, header, required in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(EXAMPLE)
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    notes = workbook.create_sheet("填写说明")
    for line in [
        "带*的列必填；每行一项，外部编号在本台账内唯一，再次导入同一编号将更新该事项而不是新增。",
        "牵头单位、协办单位填写单位全称或简称，多个协办单位用顿号或逗号分隔。",
        "办理期限填写日期（如2024-06-30），或在“自交办起工作日数”填写天数，二者至少填一项。",
        "任务来源、缓急程度、整改类型按平台中的名称填写，例如：审计报告、一般、分阶段整改。",
        "已交办的事项再次导入时不能修改牵头单位和办理期限，如需调整期限请申请延期。",
    ]:
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
