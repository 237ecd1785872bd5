import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from duban.core.official import chinese_date, official_docx
from duban.core.testing import official_document

ISSUER = "罗湖区督查室"


SPEC = {
    "title": "督办通知单（黄色）",
    "number": "罗督〔2024〕7号",
    "recipient": "东门街道",
    "paragraphs": ["事项：罗改〔2024〕1号《推进专项资金拨付》。", "请于2024年7月5日前书面回复。"],
    "issuer": ISSUER,
    "date": dt.date(2024, 6, 8),
}


def _document(**overrides):
    return Document(io.BytesIO(official_docx(**(SPEC | overrides))))


def east_asian_font(run) -> str | None:
    return run.element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph_of(document, text):
    return next(p for p in document.paragraphs if p.text == text)


def test_the_page_is_a4_with_the_standards_margins_and_every_run_names_its_chinese_font():
    official_document(official_docx(**SPEC))


def test_the_title_is_2hao_xiaobiaosong_and_the_body_3hao_fangsong_for_chinese_text_too():
    document = _document()
    title = paragraph_of(document, "督办通知单（黄色）")
    body = paragraph_of(document, "请于2024年7月5日前书面回复。")

    (title_run,) = title.runs
    assert (title_run.font.name, east_asian_font(title_run), title_run.font.size.pt) == ("方正小标宋简体",) * 2 + (22,)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    (body_run,) = body.runs
    assert (body_run.font.name, east_asian_font(body_run), body_run.font.size.pt) == ("仿宋_GB2312",) * 2 + (16,)
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters
    for run in [r for p in document.paragraphs for r in p.runs]:
        assert east_asian_font(run) == run.font.name, run.text
        assert run.font.name != "宋体"


def test_lines_are_spaced_a_fixed_28_to_29_points():
    document = _document()
    body = [p for p in document.paragraphs if p.text and p.runs[0].font.size.pt == 16]
    assert len(body) >= 5
    for paragraph in body:
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert 28 <= paragraph.paragraph_format.line_spacing.pt <= 29


def test_the_issuer_mark_is_red_and_the_number_centred_under_it_above_the_title():
    document = _document()
    texts = [p.text for p in document.paragraphs]
    mark, number, title = texts.index(ISSUER), texts.index("罗督〔2024〕7号"), texts.index("督办通知单（黄色）")
    assert mark < number < title
    assert str(document.paragraphs[mark].runs[0].font.color.rgb) == "FF0000"
    assert document.paragraphs[number].alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = document.paragraphs[number]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    assert texts[title + 2] == "东门街道："
    assert document.paragraphs[title + 2].paragraph_format.first_line_indent is None  # 主送机关 flush left


def test_without_a_number_the_rule_sits_under_the_issuer_mark():
    document = _document(number="")
    mark = paragraph_of(document, ISSUER)
    assert mark._p.pPr.find(qn("w:pBdr")) is not None


def test_the_date_is_right_aligned_at_the_end_with_the_issuer_centred_over_it():
    document = _document(issuer="区督查室")
    signature, date = document.paragraphs[-2], document.paragraphs[-1]
    assert date.text == "2024年6月8日" == chinese_date(dt.date(2024, 6, 8))  # 1 is not written 01
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent.pt == 64  # four characters from the right
    assert signature.text == "区督查室" and signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # 区督查室 is 8 half widths, 2024年6月8日 is 12: centred over it, it stands 2 half widths (16 pt) further in
    assert signature.paragraph_format.right_indent.pt == 64 + 16


def test_page_numbers_are_4hao_dash_style_odd_pages_right_even_pages_left():
    document = _document()
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in footer._p.xml
        assert {run.font.size.pt for run in footer.runs} == {14}
        assert {east_asian_font(run) for run in footer.runs} == {"宋体"}
