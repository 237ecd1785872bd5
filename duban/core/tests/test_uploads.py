"""Uploaded workbooks are read only after they are shown to be as small as they say.

The hostile files are built here, by hand: a few KB that claim (or inflate to) far more.
"""

import io
import struct
import zipfile

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from duban.core.testing import inline_cell, run_with_memory_limit, xlsx_parts, zip_parts
from duban.core.uploads import MAX_INFLATED_BYTES, UnreadableUpload, check_xlsx, column_letters, xlsx_rows

ROWS = 200_001


def refusal(data: bytes, max_rows: int = ROWS) -> str:
    with translation.override("en"), pytest.raises(UnreadableUpload) as refused:
        list(xlsx_rows(data, max_rows=max_rows))
    return str(refused.value)


def one_cell_far_away(ref: str) -> bytes:
    """The issue's file: a header cell, and one cell at `ref` with the dimension saying so."""
    sheet = f'<row r="1">{inline_cell("A1", "外部编号")}</row><row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'
    return zip_parts(xlsx_parts(sheet + inline_cell(ref) + "</row>", dimension=f"A1:{ref}"))


def empty_texts(count: int) -> bytes:
    """A workbook whose shared strings are `count` empty texts: 13 bytes each, before deflating."""
    text = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    text += [b"<si><t/></si>" * 100_000] * (count // 100_000) + [b"</sst>"]
    parts = xlsx_parts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    return zip_parts({**parts, "xl/sharedStrings.xml": text})


def bomb(inflated: int) -> bytes:
    """A workbook whose shared strings hold one string of `inflated` bytes of "a"."""
    block = b"a" * (1024 * 1024)
    text = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>']
    text += [block] * (inflated // len(block)) + [b"</t></si></sst>"]
    parts = xlsx_parts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    return zip_parts({**parts, "xl/sharedStrings.xml": text})


@pytest.mark.parametrize("ref", ["XFD1000000", "L1000000", "AA1", "A200002"])
def test_a_cell_beyond_the_rows_and_columns_read_refuses_the_file_naming_it(ref):
    data = one_cell_far_away(ref)
    assert len(data) < 5000
    message = refusal(data)
    assert f"The sheet has a cell at {ref}." in message
    assert "rows 1 to 200,001 and columns A to Z" in message


def test_cells_up_to_the_last_row_and_column_are_read():
    rows = list(xlsx_rows(one_cell_far_away("Z200001"), max_rows=ROWS))
    assert len(rows) == ROWS and len(rows[0]) == 26
    assert rows[0][0] == "外部编号" and rows[-1][25] == "x"


def test_a_workbook_from_openpyxl_reads_from_a1_with_empty_cells_as_empty_text():
    workbook = Workbook()
    workbook.active["B2"] = "事项"
    workbook.active["D4"] = 3
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert list(xlsx_rows(buffer.getvalue(), max_rows=10)) == [
        ["", "", "", ""],
        ["", "事项", "", ""],
        ["", "", "", ""],
        ["", "", "", 3.0],
    ]


@pytest.mark.parametrize(
    ("sheet", "cell"),
    [
        # cells without a reference go one column right of the one before, rows one below
        ('<row r="1000000"><c t="inlineStr"><is><t>x</t></is></c></row>', "A1000000"),
        ('<row r="1">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 27 + "</row>", "AA1"),
        ('<row r="1"><c r="Y1"/><c/><c t="inlineStr"><is><t>x</t></is></c></row>', "AA1"),
        # a second reference, another prefix, quotes or spacing than Excel's
        ('<row r="1"><c r="A1" r="XFD1000000" t="inlineStr"><is><t>x</t></is></c></row>', None),
        ('<row r="1"><c r="A1" t="inlineStr"r="XFD1"><is><t>x</t></is></c></row>', None),
        ('<row r="1"><x:c xmlns:x="urn:x" r="XFD1" t="inlineStr"><is><t>x</t></is></x:c></row>', "XFD1"),
        ('<row r="1"><:c r="XFD1" t="inlineStr"><is><t>x</t></is></:c></row>', "XFD1"),
        ('<row r="1"><c r=\'XFD1\' t="inlineStr"><is><t>x</t></is></c></row>', "XFD1"),
        ('<row r="1"><c t="inlineStr" r = "XFD1"><is><t>x</t></is></c></row>', "XFD1"),
        ('<row r="1"><c foo="a>b" r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', "XFD1"),
        ('<row r="1"><c r="xfd1" t="inlineStr"><is><t>x</t></is></c></row>', "XFD1"),
        ('<row r="1"><c r="A000001000000" t="inlineStr"><is><t>x</t></is></c></row>', "A1000000"),
    ],
)
def test_cells_placed_any_other_way_are_found_where_the_reader_would_put_them(sheet, cell):
    message = refusal(zip_parts(xlsx_parts(sheet)))
    assert (f"a cell at {cell}." in message) if cell else ("is damaged or is not the kind its name says" in message)


def test_a_part_inflating_beyond_the_limit_is_refused_before_the_reader_sees_it():
    data = bomb(MAX_INFLATED_BYTES + 1024 * 1024)
    assert len(data) < 1024 * 1024
    assert (
        refusal(data)
        == "The file unpacks to more than 256 MB, more than can be read at once: split it into smaller files."
    )


def test_millions_of_shared_texts_are_refused_before_the_reader_keeps_them():
    assert "more than 2,000,000 different texts" in refusal(empty_texts(2_100_000))
    assert list(xlsx_rows(empty_texts(100_000), max_rows=ROWS)) == [[""]]


def test_sizes_the_central_directory_understates_are_not_trusted():
    honest = bomb(8 * 1024 * 1024)
    lying = bytearray(honest)
    for start in range(len(honest)):  # every entry (local and central) of the shared strings says 1 KB
        if honest.startswith(b"PK\x03\x04", start) and b"sharedStrings" in honest[start + 30 : start + 60]:
            lying[start + 22 : start + 26] = struct.pack("<L", 1024)
        if honest.startswith(b"PK\x01\x02", start) and b"sharedStrings" in honest[start + 46 : start + 80]:
            lying[start + 24 : start + 28] = struct.pack("<L", 1024)
    assert bytes(lying) != honest
    assert zipfile.ZipFile(io.BytesIO(bytes(lying))).getinfo("xl/sharedStrings.xml").file_size == 1024
    assert "is damaged or is not the kind its name says (BadZipFile)" in refusal(bytes(lying))


def test_a_zip_of_a_million_parts_is_refused_before_its_directory_is_parsed():
    data = zip_parts(xlsx_parts('<row r="1"><c r="A1"><v>1</v></c></row>'))
    end = data.rfind(b"PK\x05\x06")
    claimed = bytearray(data)
    claimed[end + 8 : end + 12] = struct.pack("<HH", 65535, 65535)
    assert "65,535 parts" in refusal(bytes(claimed))


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip", b"PK\x03\x04" + b"\0" * 100, zip_parts(xlsx_parts("")) + b"trailing PK\x05\x06"],
)
def test_what_is_not_a_zip_is_refused_as_unreadable(data):
    assert "is damaged or is not the kind its name says" in refusal(data)


def test_a_part_in_utf16_is_refused():
    parts = xlsx_parts("")
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].decode().encode("utf-16")
    assert "is damaged or is not the kind its name says" in refusal(zip_parts(parts))


def test_column_letters():
    assert [column_letters(n) for n in (1, 26, 27, 702, 703, 16384)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]


# Property: whatever the tags say, a file the check lets through is one the reader keeps within the
# limits (here 5 rows and 26 columns, so that the reader can show where it puts cells beyond them).
SMALL = 5
refs = st.builds(
    lambda letters, row: f"{letters}{row}",
    st.sampled_from(["A", "b", "Y", "Z", "AA", "z"]),
    st.sampled_from(["1", "3", "5", "6", "005", "0006", "9"]),
)
r_attribute = st.one_of(
    st.just(""),
    refs.map(lambda ref: f' r="{ref}"'),
    refs.map(lambda ref: f" r='{ref}'"),
    refs.map(lambda ref: f' r = "{ref}"'),
    st.tuples(refs, refs).map(lambda pair: f' r="{pair[0]}" r="{pair[1]}"'),
    refs.map(lambda ref: f' t="n"r="{ref}"'),
)
cell = st.builds(
    lambda name, r, empty: f"<{name}{r}/>" if empty else f"<{name}{r}><v>1</v></{name}>",
    st.sampled_from(["c", "c", "x:c", ":c", "x:y:c"]),
    r_attribute,
    st.booleans(),
)
row = st.builds(
    lambda r, cells, empty: f"<row{r}/>" if empty else f"<row{r}>{''.join(cells)}</row>",
    st.sampled_from(["", ' r="1"', ' r="2"', ' r="5"', ' r="7"']),
    st.lists(cell, max_size=30),
    st.booleans(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(row, cell), max_size=8))
def test_a_file_the_check_accepts_is_read_within_the_limits(tags):
    sheet = "".join(tags)  # the reader ignores namespaces: `x:` needs no declaration
    data = zip_parts(xlsx_parts(sheet))
    try:
        check_xlsx(data, max_rows=SMALL)
    except UnreadableUpload:
        return
    try:
        end = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).end
    except Exception:  # noqa: BLE001 - a file the reader refuses is no danger
        return
    assert end is None or (end[0] < SMALL and end[1] < 26), (sheet, end)


@pytest.mark.parametrize(
    "build",
    [
        'one_cell_far_away("XFD1000000")',
        'one_cell_far_away("L1000000")',
        f"bomb({MAX_INFLATED_BYTES + 1024 * 1024})",
        "empty_texts(19_000_000)",
    ],
)
def test_reading_a_hostile_file_never_takes_more_than_a_bounded_amount_of_memory(build):
    """Before the limits, the first file asked for 500 GB, the second 384 MB, the others over 250 MB;
    the reader aborts the whole process when it cannot have them, as it killed a server worker."""
    code = f"""
from duban.core.tests.test_uploads import bomb, empty_texts, one_cell_far_away
from duban.core.uploads import UnreadableUpload, xlsx_rows
data = {build}
limit_memory(200)
try:
    list(xlsx_rows(data, max_rows=200_001))
except UnreadableUpload as refused:
    print("refused:", refused)
"""
    done = run_with_memory_limit(code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("refused:"), done.stdout


def test_a_large_honest_file_is_read_within_the_same_memory():
    code = """
import io
from openpyxl import Workbook
from duban.core.uploads import xlsx_rows
workbook = Workbook(write_only=True)
sheet = workbook.create_sheet()
for n in range(20_000):
    sheet.append([f"IMP-{n:06d}", f"导入事项{n}", "东门街道", "", "2031-06-30", "", "", "", "", "", "", "内容"])
buffer = io.BytesIO()
workbook.save(buffer)
data = buffer.getvalue()
del workbook, sheet, buffer
limit_memory(200)
print(sum(1 for _row in xlsx_rows(data, max_rows=200_001)))
"""
    done = run_with_memory_limit(code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["20000"]
