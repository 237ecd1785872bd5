"""The ledger's downloads: item lists as .xlsx and supervision notices as .docx."""

from __future__ import annotations

from django.utils import timezone

from duban.core.official import chinese_date, official_docx
from duban.ledger.choices import FINISHED_STATES, OPEN_STATES, ItemState, LedgerKind, Light, NoticeLevel
from duban.ledger.models import Item, Notice

ITEM_HEADERS = [
    "编号", "事项名称", "台账", "牵头单位", "分管领导", "任务来源文号", "类别", "办理期限", "延期后期限", "进度(%)",
    "状态", "亮灯", "逾期天数", "外部编号",
]  # fmt: skip

NOTICE_TITLES = {
    NoticeLevel.REMINDER: "督办提醒函",
    NoticeLevel.URGING: "催办通知",
    NoticeLevel.BLUE: "督办通知单（蓝色）",
    NoticeLevel.YELLOW: "督办通知单（黄色）",
    NoticeLevel.RED: "督查令",
    NoticeLevel.ONSITE: "现场督办通知",
    NoticeLevel.INTERVIEW: "约谈通知书",
    NoticeLevel.PUBLIC_NOTICE: "督办情况通报",
    NoticeLevel.REFERRAL: "问题线索移送函",
}


def item_rows(items, today):
    """Rows for the item export, read in chunks: memory stays flat for a million rows."""
    states = dict(ItemState.choices)
    lights = dict(Light.choices)
    columns = (
        "number", "title", "ledger__name", "lead_unit__name", "leader__name", "basis_document", "category",
        "deadline", "effective_deadline", "progress", "state", "light", "late_days", "external_id",
    )  # fmt: skip
    for row in items.values_list(*columns).iterator(chunk_size=2000):
        (number, title, ledger, unit, leader, basis, category, deadline, effective, progress, state, light, late,
         external) = row  # fmt: skip
        if state in FINISHED_STATES:
            overdue = late or 0
        elif state in OPEN_STATES and effective and today > effective:
            overdue = (today - effective).days
        else:
            overdue = 0
        yield (number, title, ledger, unit, leader or "", basis, category, deadline, effective, progress,
               str(states[state]), str(lights[light]), overdue, external)  # fmt: skip


def _date(day) -> str:
    return chinese_date(day) if day else "未定"


def notice_title(notice: Notice) -> str:
    """The document's title; a red notice on a reform tasks ledger is the 改革督查令."""
    if notice.level == NoticeLevel.RED and notice.item.ledger.kind == LedgerKind.REFORM:
        return "改革督查令"
    return NOTICE_TITLES[notice.level]


def notice_docx(notice: Notice) -> bytes:
    item: Item = notice.item
    head = f"（主要负责人：{notice.recipient_head.name}）" if notice.recipient_head else ""
    paragraphs = [
        f"事项：{item.number}《{item.title}》，办理期限{_date(item.effective_deadline)}，当前进度{item.progress}%。",
        f"督办事由：{notice.reason}",
        f"办理要求：{notice.required_response}",
        f"请于{chinese_date(notice.due_date)}前书面回复{head}。",
    ]
    return official_docx(
        title=notice_title(notice),
        number=notice.number,
        recipient=notice.recipient_unit.name,
        paragraphs=paragraphs,
        issuer=notice.issuing_unit.name,
        date=timezone.localtime(notice.created_at).date(),
    )


def assignment_docx(item: Item) -> bytes:
    """交办单: the numbered notice that assigns an item to its units."""
    co_units = "、".join(c.unit.name for c in item.co_units.select_related("unit"))
    paragraphs = [
        f"现将《{item.title}》交由你单位牵头办理{('，' + co_units + '协办') if co_units else ''}。",
        item.content or "",
        f"任务来源：{item.get_basis_kind_display()} {item.basis_document}".strip(),
        f"办理期限：{_date(item.effective_deadline)}；分管领导：{item.leader.name if item.leader else '—'}。",
        "请于签收后按要求报送进展，办结后报送办结报告及佐证材料。",
    ]
    assigned = timezone.localtime(item.assigned_at).date() if item.assigned_at else timezone.localdate()
    return official_docx(
        title="督办事项交办单",
        number=item.number,
        recipient=item.lead_unit.name,
        paragraphs=[p for p in paragraphs if p],
        issuer=item.ledger.owner_unit.name,
        date=assigned,
    )
