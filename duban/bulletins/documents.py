"""A bulletin as an official document (.docx): the office's opening paragraphs, the figures in
words and in a table by unit, the units ranked first and last, and the office's requirements."""

from __future__ import annotations

from django.utils import timezone

from duban.bulletins.models import Bulletin
from duban.core.official import OfficialTable, official_docx

HEADERS = ["单位", "新交办", "办结", "按期办结", "按期办结率", "逾期未办结", "督查令", "约谈"]


def _rate(rate) -> str:
    return "—" if rate is None else f"{rate}%"


def table_rows(figures: dict) -> list[list]:
    rows = [[r["name"] + ("（本级）" if r["direct"] else ""), r["assigned"], r["finished"], r["on_time"],
             _rate(r["rate"]), r["overdue"], r["red"], r["interviews"]] for r in figures["rows"]]  # fmt: skip
    t = figures["totals"]
    rows.append(["合计", t["assigned"], t["finished"], t["on_time"], _rate(t["rate"]), t["overdue"], t["red"],
                 t["interviews"]])  # fmt: skip
    return rows


def summary_paragraphs(bulletin: Bulletin, figures: dict) -> list[str]:
    t = figures["totals"]
    period = f"{bulletin.starts_on:%Y年%-m月%-d日}至{bulletin.ends_on:%Y年%-m月%-d日}"
    text = [
        f"{period}，新交办督办事项{t['assigned']}项，办结{t['finished']}项，其中按期办结{t['on_time']}项"
        f"（按期办结率{_rate(t['rate'])}）；截至{bulletin.ends_on:%-m月%-d日}，逾期未办结{t['overdue']}项。"
        f"期间发出督查令{t['red']}份，约谈单位主要负责人{t['interviews']}次。",
    ]
    if figures["first"]:
        text.append(f"按期办结率居前的单位：{'、'.join(figures['first'])}。")
    if figures["last"]:
        text.append(f"按期办结率靠后或有逾期事项的单位：{'、'.join(figures['last'])}。")
    if figures["named"]:
        names = "、".join(n["name"] for n in figures["named"])
        text.append(f"对{names}予以通报，请有关单位于5个工作日内向{bulletin.issuer.name}书面说明原因并报送整改措施。")
    return text


def recipient_of(bulletin: Bulletin) -> str:
    return f"{bulletin.scope_unit.name}及所属各单位" if bulletin.scope_unit else "各街道、区直各单位"


def bulletin_docx(bulletin: Bulletin, figures: dict) -> bytes:
    paragraphs: list = [p for p in bulletin.opening.splitlines() if p.strip()]
    paragraphs += summary_paragraphs(bulletin, figures)
    paragraphs.append(OfficialTable("各单位督办事项办理情况", HEADERS, table_rows(figures)))
    paragraphs += [p for p in bulletin.closing.splitlines() if p.strip()]
    day = timezone.localtime(bulletin.issued_at).date() if bulletin.issued_at else timezone.localdate()
    return official_docx(title=bulletin.title, number=bulletin.number or "（草稿）", recipient=recipient_of(bulletin),
                         paragraphs=paragraphs, issuer=bulletin.issuer.name, date=day)  # fmt: skip
