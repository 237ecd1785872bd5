"""A contract's documents: its special terms with the key-node schedule (.docx), and the
settlement's schedule reward and penalty statement (.docx and .xlsx)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duban.contracts.models import Contract, ContractsSettings
from duban.contracts.services import settlement
from duban.core.exports import AMOUNT_FORMAT, Column, xlsx_sheets_response
from duban.core.official import chinese_date, official_docx


def _issuer(contract: Contract) -> str:
    return contract.owner.name


def terms_docx(contract: Contract) -> bytes:
    settings = ContractsSettings.current()
    lines = [
        f"发包人：{contract.owner.name}；承包人：{contract.contractor.name}；工程名称：{contract.project}；"
        f"合同金额：{contract.amount:,.2f}元；计划开工日期：{chinese_date(contract.starts_on)}；"
        f"计划竣工日期：{chinese_date(contract.ends_on)}。本合同采用{contract.version}。",
        contract.version.special_terms,
        "一、关键节点工期要求",
        *[f"{n.order}．{n.name}：计划完成日期{chinese_date(n.planned_on)}，权重{n.weight:g}%。"
          for n in contract.nodes.order_by("order")],
        "二、工期奖罚",
        f"关键节点每提前一日，奖励{contract.reward_per_day:,.2f}元；每延误一日，承包人支付违约金{contract.penalty_per_day:,.2f}元。"
        f"各节点奖励和违约金分别以该节点权重占奖励上限（{contract.reward_cap:,.2f}元）和违约金上限"
        f"（{contract.penalty_cap:,.2f}元）的份额为限。",
        "三、履约评价与工期奖罚挂钩",
        "发包人按季度对承包人进行履约评价，评价指标及权重为："
        + "；".join(f"{label}{weight}%" for _key, label, weight in contract.criteria)
        + "。工期履约得分按当季到期关键节点按期完成的比例计算。"
        f"结算时，各季度履约评价平均分达到{settings.full_reward_rating:g}分的，工期奖励全额兑现；达到{settings.half_reward_rating:g}分的，减半兑现；低于{settings.half_reward_rating:g}分的，"
        "不予兑现。工期违约金不因评价结果减免。",
    ]  # fmt: skip
    return official_docx(title="专用条款及关键节点工期表", number=contract.number, recipient="", paragraphs=lines,
                         issuer=_issuer(contract), date=contract.starts_on)  # fmt: skip


def _node_rows(contract: Contract) -> list[list]:
    return [[n.order, n.name, n.planned_on, n.actual_on, n.days, n.outcome] for n in contract.nodes.order_by("order")]


def settlement_docx(contract: Contract) -> bytes:
    summary = settlement(contract)
    lines = [f"工程名称：{contract.project}；合同编号：{contract.number}；承包人：{contract.contractor.name}。"]
    for order, name, planned, actual, days, outcome in _node_rows(contract):
        if actual is None:
            lines.append(f"{order}．{name}：计划{chinese_date(planned)}，尚未完成。")
            continue
        how = f"提前{days}日" if days > 0 else (f"延误{-days}日" if days < 0 else "按期")
        lines.append(f"{order}．{name}：计划{chinese_date(planned)}，实际{chinese_date(actual)}，{how}，"
                     f"{'奖励' if outcome >= 0 else '违约金'}{abs(outcome):,.2f}元。")  # fmt: skip
    rating = f"{summary.rating}分" if summary.rating is not None else "尚未审定"
    lines += [
        f"工期奖励合计{summary.rewards:,.2f}元，违约金合计{summary.penalties:,.2f}元。",
        f"履约评价平均分：{rating}，工期奖励兑现比例{summary.factor * 100:g}%。",
        f"结算计入：工期奖励{summary.payable_reward:,.2f}元，工期违约金{summary.payable_penalty:,.2f}元，"
        f"净额{summary.net:,.2f}元。",
    ]
    return official_docx(title="工期奖罚结算表", number=contract.number, recipient="", paragraphs=lines,
                         issuer=_issuer(contract), date=timezone.localdate())  # fmt: skip


def settlement_xlsx(contract: Contract):
    summary = settlement(contract)
    headers = [Column(_("Order")), _("Key node"), _("Planned date"), _("Actual date"),
               Column(_("Days early (+) or late (−)")),
               Column(_("Reward (+) or penalty (−)"), AMOUNT_FORMAT)]  # fmt: skip
    totals = [
        [_("Rewards earned"), summary.rewards], [_("Penalties owed"), summary.penalties],
        [_("Average approved rating"), summary.rating], [_("Share of the reward paid (%)"), summary.factor * 100],
        [_("Reward in the settlement"), summary.payable_reward],
        [_("Penalty in the settlement"), summary.payable_penalty], [_("Net"), summary.net],
    ]  # fmt: skip
    name = _("Schedule reward and penalty statement")
    return xlsx_sheets_response(
        f"{name} {contract.number}.xlsx",
        [
            (_("Key nodes"), headers, _node_rows(contract)),
            (_("Settlement"), [_("Item"), Column(pgettext("statement", "Value"), AMOUNT_FORMAT)], totals),
        ],
    )
