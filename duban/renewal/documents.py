"""The mediation's official documents (.docx): the acceptance notice (受理通知书) with the period's
start and end, and the agreement (调解协议书) with the facts, the claims, the terms and the parties'
signatures."""

from __future__ import annotations

from duban.core.official import chinese_date, official_docx
from duban.renewal.choices import CaseOrigin
from duban.renewal.models import MediationCase, RenewalSettings


def _issuer() -> str:
    bureau = RenewalSettings.current().bureau
    return bureau.name if bureau is not None else "区城市更新和土地整备局"


def _parties(case: MediationCase) -> list[str]:
    return [f"{party.get_side_display()}：{party.name}" for party in case.parties.all()]


def notice_docx(case: MediationCase) -> bytes:
    settings = RenewalSettings.current()
    names = "、".join(party.name for party in case.parties.all())
    dispute = f"“{case.project.name}”{case.get_claim_type_display()}争议"
    started = (f"你们因{dispute}申请行政调解" if case.origin == CaseOrigin.APPLICATION
               else f"对{dispute}，本局依职权启动行政调解")  # fmt: skip
    lines = [
        f"{started}，各方均已同意调解。经审查，符合受理条件，本局决定受理。",
        f"调解期限为{settings.mediation_working_days}个工作日，自{chinese_date(case.accepted_on)}起至"
        f"{chinese_date(case.ends_on)}止；情况复杂的，经本局负责人批准可延长{settings.extension_working_days}个工作日。",
        f"调解员：{'、'.join(p.name for p in case.mediators.all())}。当事人有权申请调解员回避，有权自主表达意愿、"
        "自愿达成调解协议，也有权在调解过程中退出调解。",
        "行政调解不收取任何费用。调解不成的，当事人可依法申请行政复议、仲裁或者提起诉讼。",
    ]
    return official_docx(title="行政调解受理通知书", number=case.number, recipient=names, paragraphs=lines,
                         issuer=_issuer(), date=case.accepted_on)  # fmt: skip


def agreement_docx(case: MediationCase) -> bytes:
    lines = [
        *_parties(case),
        f"争议项目：{case.project.name}（{case.project.street.name}）",
        f"一、基本事实：{case.facts}",
        f"二、当事人请求：{case.get_claim_type_display()}。{case.claim}",
        f"三、调解结果：经本局主持调解，各方自愿达成如下协议：{case.terms}",
        "四、本协议经各方当事人签名（盖章）并加盖本局印章后生效，各方应当自觉履行。",
        f"五、本协议一式{case.parties.count() + 1}份，各方当事人各执一份，本局存档一份。",
        "当事人签名：",
        *[f"{party.name}（签名）：{chinese_date(party.signed_on) if party.signed_on else '　　年　　月　　日'}"
          for party in case.parties.all()],
        f"调解员：{'、'.join(p.name for p in case.mediators.all())}",
    ]  # fmt: skip
    date = case.ended_on or case.accepted_on
    return official_docx(title="行政调解协议书", number=case.agreement_number, recipient="", paragraphs=lines,
                         issuer=_issuer(), date=date)  # fmt: skip
