"""The 容缺受理通知书 as an official document (.docx): the missing documents once and for all, the form
and date of supply of each, and what missing a date costs."""

from __future__ import annotations

from django.utils import timezone

from duban.core.official import chinese_date, official_docx
from duban.payments.choices import SupplyForm
from duban.payments.models import CentreSettings, PaymentRequest


def notice_docx(request: PaymentRequest) -> bytes:
    centre = CentreSettings.current()
    issuer = centre.centre.name if centre.centre_id else "国库支付中心"
    committed = timezone.localtime(request.committed_at).date()
    submitted = timezone.localtime(request.submitted_at).date()
    forms = dict(SupplyForm.choices)
    lines = [
        f"{chinese_date(submitted)}，你单位提交“{request.project}”支付申请（编号{request.number}，"
        f"资金名称{request.fund.name}，指标文号{request.fund.number}，金额{request.amount:,.2f}元）。"
        "经预审，主要材料齐全、符合规定，下列次要材料暂缺。"
        f"根据你单位负责人{request.committed_by}于{chinese_date(committed)}"
        "签署并加盖单位公章的《申请容缺受理承诺书》，本中心予以容缺受理，请按下列方式和期限一次性补齐：",
    ]
    for number, gap in enumerate(request.gaps.filter(committed=True).select_related("document_type"), start=1):
        with_form = str(forms[gap.supply_form])
        lines.append(f"{number}．{gap.document_type.name}：{with_form}，{chinese_date(gap.due_on)}前补齐。")
    lines += [
        "补正材料以送达本中心（在平台上传的，以上传）之日为准。",
        "逾期未补齐的，视为违反承诺，记入你单位失信记录，并计入年度绩效考核；"
        f"逾期超过{centre.suspend_after_working_days}个工作日仍未补齐的，暂停你单位使用绿色通道，直至补齐为止。",
        "本通知书一式两份，一份交申请单位，一份存档。",
    ]
    return official_docx(
        title="容缺受理通知书", number=request.notice_number, recipient=request.unit.name, paragraphs=lines,
        issuer=issuer, date=committed,
    )  # fmt: skip
