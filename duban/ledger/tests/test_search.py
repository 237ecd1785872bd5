"""The list's text filter: substring search by number, title or basis document, the same on SQLite
and on PostgreSQL (where the search tokens' GIN index narrows the rows first)."""

import pytest
from django.db import connection
from django.urls import reverse

from duban.core import search
from duban.ledger.models import Item
from duban.ledger.services.items import item_update
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(make_item):
    return {
        "street": make_item(title="推进东门步行街综合整治", basis_document="罗审报〔2024〕3号"),
        "market": make_item(title="整治农批市场周边交通秩序"),
        "quote": make_item(title="落实 “O'Brien” 建议\\附件"),
        "latin": make_item(title="Smart City 平台"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("东门", {"street"}),
        ("综合整治", {"street"}),
        ("整治", {"street", "market"}),
        ("治", {"street", "market"}),
        ("罗审报〔2024〕3", {"street"}),
        ("o'brien", {"quote"}),
        ("\\附", {"quote"}),
        ("smart city", {"latin"}),
        ("CITY", {"latin"}),
        ("  步行街  ", {"street"}),
        ("东门市场", set()),
        ("门东", set()),
        ("cityx", set()),
    ],
)
def test_the_text_filter_finds_exactly_the_items_containing_the_text(items, query, expected):
    names = {name for name, item in items.items() if Item.objects.search(query).filter(pk=item.pk).exists()}
    assert names == expected


def test_an_item_number_finds_its_item(items):
    street = items["street"]
    assert list(Item.objects.search(street.number)) == [street]


def test_a_renamed_item_is_found_by_its_new_title_only(personas, items):
    market = items["market"]
    item_update(actor=personas.office_admin, item=market, data={"title": "规范莲塘口岸停车秩序"})
    assert list(Item.objects.search("莲塘口岸")) == [market]
    assert not Item.objects.search("农批市场").exists()


def test_every_gram_of_the_query_is_among_the_tokens_of_a_text_that_contains_it():
    text = "罗湖区 Luohu “翠竹” 街道\t2024"
    stored = set(search.tokens(text).split(" "))
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert set(search.query_grams(text[start:end])) <= stored


def test_the_list_page_filters_by_text(client, personas, items):
    client.force_login(personas.office_admin)
    html = client.get(reverse("ledger:item_list"), {"q": "步行街"}).content.decode()
    assert items["street"].title in html and items["market"].title not in html


def test_an_exact_number_then_an_exact_title_come_first(client, personas, make_item):
    earlier = [make_item(title=f"推进整治工作第{n}项") for n in range(3)]
    exact_title = make_item(title="整治")
    client.force_login(personas.office_admin)

    html = client.get(reverse("ledger:item_list"), {"q": "整治"}).content.decode()
    positions = [html.index(item.number) for item in (exact_title, *earlier)]
    assert positions == sorted(positions)  # the exact title first, then the others in number order

    html = client.get(reverse("ledger:item_list"), {"q": earlier[2].number}).content.decode()
    assert earlier[2].title in html and earlier[0].title not in html


def test_a_common_query_finds_the_same_items_in_the_lists_order(client, personas, make_item, monkeypatch):
    monkeypatch.setattr(search, "COMMON", 2)
    found = [make_item(title=f"东门片区整治{n}") for n in range(3)]
    make_item(title="桂园路灯修复")

    items, walk = Item.objects.all().listed("东门片区", ["pk"])
    assert sorted(items.values_list("pk", flat=True)) == sorted(item.pk for item in found)
    assert (walk is None) is (connection.vendor != "postgresql")  # PostgreSQL walks the list's order beyond COMMON
    client.force_login(personas.office_admin)
    html = client.get(reverse("ledger:item_list"), {"q": "东门片区"}).content.decode()
    positions = [html.index(item.number) for item in found]
    assert positions == sorted(positions) and "桂园路灯修复" not in html


def test_triples_narrow_a_longer_query():
    assert search.query_grams("东门步行街") == ["东门步", "步行街", "门步行"]
    assert search.query_grams("整治") == ["整治"]
    assert search.query_grams("治") == ["治"]


@pytest.mark.postgres
def test_the_benchmarks_sql_writes_the_tokens_the_services_write():
    text = "罗审整〔2024〕012号 东门 Smart City"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {search.tokens_sql('%s')}", [text])  # noqa: S608 - the test's own text
        assert cursor.fetchone()[0] == search.tokens(text)


def test_a_page_walked_in_the_lists_order_is_the_page_the_filter_gives(make_item, monkeypatch):
    monkeypatch.setattr(Item, "SAMPLED_ROWS", 2)  # windows from 8 × the rows asked for: several for a late match
    for n in range(30):
        make_item(
            title=f"东门片区整治{n}" if n % 3 else f"桂园修缮{n}", basis_document="罗审整〔2024〕3号" if n == 3 else ""
        )
    rows = Item.objects.order_by("-seq")
    expected = list(rows.search("东门片区").values_list("pk", flat=True))

    def walked(query, offset, limit):
        return search.walked_ids(rows, query, Item.SEARCHED_FIELDS, offset=offset, limit=limit)

    assert walked("东门片区", 0, 5) == expected[:5]
    assert walked("东门片区", 15, 5) == expected[15:20]
    assert walked("东门片区", 18, 5) == expected[18:]  # the list ends
    assert walked("罗审整〔2024〕3", 0, 5) == list(rows.search("罗审整〔2024〕3").values_list("pk", flat=True))
    assert walked("罗审整〔2024〕3", 0, 1) == walked("罗审整〔2024〕3", 0, 5)  # found in the second window
    percent, digits = make_item(title="完成50%_整改"), make_item(title="完成500整改")
    assert walked("50%_", 0, 5) == [percent.pk] and walked("500", 0, 5) == [digits.pk]  # % and _ are themselves
    latin = make_item(title="Luohu Smart Grid")
    assert walked("smart grid", 0, 5) == [latin.pk]  # case is ignored, as icontains ignores it


def test_a_units_short_name_finds_the_items_it_leads(client, personas, make_item, search_common):
    bureau = org_services.unit_create(actor=None, parent=personas.district, name="深圳市罗湖区城市管理和综合执法局",
                                      kind=UnitKind.DEPARTMENT, short_name="区城管局")  # fmt: skip
    led = [make_item(title=f"桂园路灯修复{n}", lead_unit=bureau) for n in range(2)]
    named = make_item(title="配合城管局清理占道经营")
    other = make_item(title="东门片区整治")
    client.force_login(personas.office_admin)
    response = client.get(reverse("ledger:item_list"), {"q": "城管局"})
    html = response.content.decode()
    positions = [html.index(item.number) for item in [*led, named]]
    assert positions == sorted(positions) and other.number not in html
    paginator = response.context["page"].paginator
    assert paginator.count == 3 and not paginator.is_capped  # walked or not, a short list is counted
    html = client.get(reverse("ledger:item_list"), {"q": "区"}).content.decode()  # one character names no unit
    assert led[0].number not in html
    # A street's name is also in its communities' and their grids' names: it still names the street.
    community = org_services.unit_create(actor=None, parent=personas.unit_a, name="东门社区", kind=UnitKind.COMMUNITY)
    for n in ("一", "二"):
        org_services.unit_create(actor=None, parent=community, name=f"东门社区第{n}网格", kind=UnitKind.GRID)
    street_item = make_item(title="人民南路路面修复")  # led by 东门街道 (unit A)
    assert street_item.number in client.get(reverse("ledger:item_list"), {"q": "东门"}).content.decode()


def test_words_typed_with_spaces_between_them_must_all_be_in_an_item(client, personas, make_item, search_common):
    both = [make_item(title=f"打造东门商圈营商环境示范区{n}") for n in range(2)]
    one = make_item(title="东门片区整治")
    client.force_login(personas.office_admin)
    html = client.get(reverse("ledger:item_list"), {"q": "东门  营商"}).content.decode()
    assert all(item.number in html for item in both) and one.number not in html
    assert list(Item.objects.search("营商 东门 示范区1")) == [both[1]]
