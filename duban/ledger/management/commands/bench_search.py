"""`duban bench_search`: the ledger list's filters one by one, p50 and p95, each beside raw SQL doing
the same work, at each size asked for (100,000 then 1,000,000 items by default), so growth shows.

The items have titles as the district writes them (a place, a matter and an action, some with a
batch), a quarter of them an audit document number (罗审整〔2024〕012号), so that text search meets
common words, rare phrases, numbers and terms matching tens of thousands of items as users type them.
It runs in a database of its own (scripts/bench makes `duban_bench_search`): its items are the only ones.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from duban.core import search
from duban.core.bench import ms, statics_from_finders, timed
from duban.demo.seed import seed_organisation
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger
from duban.orgs.models import Person, Unit, User

PLACES = [
    "东门步行街", "翠竹路", "黄贝岭", "笋岗片区", "清水河", "莲塘", "桂园路", "南湖街道", "东晓", "东湖公园", "人民南",
    "罗湖口岸", "布心村", "湖贝旧村", "蔡屋围", "洪湖公园", "田贝", "水贝珠宝园", "金稻田", "银湖", "草埔", "国贸",
    "向西村", "深南东路", "泥岗",
]  # fmt: skip
MATTERS = [
    "排水管网", "老旧小区", "消防通道", "占道经营", "油烟污染", "违法建筑", "学位供给", "停车位", "电动车充电",
    "垃圾分类", "噪声扰民", "人行道", "路灯", "绿化带", "燃气管道", "电梯加装", "农贸市场", "公共厕所", "外立面",
    "积水点", "井盖", "地下管廊", "社康中心", "无障碍设施", "边坡",
]  # fmt: skip
ACTIONS = ["整治", "改造", "清理", "提升", "建设", "排查", "修复", "规范", "维护", "治理"]
CHUNK = 200_000


def _sql(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else None


class Command(BaseCommand):
    help = "Benchmark the ledger list filter by filter, text search by query class (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="100000,1000000", help="Comma-separated item counts, ascending.")
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, sizes: str, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        self.today = timezone.localdate()
        if not Unit.objects.exists():
            seed_organisation(random.Random(1))
        ledger = self._ledger()
        if Item.objects.exclude(ledger=ledger).exists():
            raise CommandError("Run it in a database of its own: other ledgers' items would be counted as its own.")
        admin = User.objects.filter(is_office_admin=True).first() or User.objects.create(
            username="bench_admin", is_office_admin=True, is_superuser=True
        )
        self.client = Client(SERVER_NAME="localhost")
        self.client.force_login(admin)
        results = {}
        # Static URLs come from the finders, as in the tests: the benchmark needs no `collectstatic`.
        with statics_from_finders():
            for size in [int(part) for part in sizes.split(",")]:
                self._grow(ledger, size)
                results[size] = [self._measure(name, params, raw, runs) for name, params, raw in self._filters(ledger)]
        self._print(results)

    # --- data -----------------------------------------------------------------------------------

    def _ledger(self) -> Ledger:
        ledger = Ledger.objects.filter(name="检索基准台账").first()
        if ledger is None:
            ledger = Ledger.objects.create(name="检索基准台账", year=self.today.year, kind=LedgerKind.GENERAL,
                                           owner_unit=Unit.objects.get(short_name="区委改革办"),
                                           number_prefix="罗检")  # fmt: skip
        return ledger

    def _grow(self, ledger: Ledger, size: int) -> None:
        """Add items to the benchmark ledger until the whole ledger table holds `size` items."""
        units = list(
            Unit.objects.active().exclude(kind__in=["grid", "compound", "external"]).values_list("pk", flat=True)
        )
        leaders = list(Person.objects.filter(portfolios__isnull=False).distinct().values_list("pk", flat=True)) or [
            None
        ]
        started = time.perf_counter()
        while (have := Item.objects.count()) < size:
            first = (ledger.items.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
            count = min(CHUNK, size - have)
            _sql(
                """
                INSERT INTO ledger_item (created_at, updated_at, ledger_id, seq, number, title, content, basis_kind,
                    basis_document, category, lead_unit_id, leader_id, leader_overridden, urgency, deadline,
                    effective_deadline, report_cadence, rectification_type, weight, progress, state, light,
                    assigned_at, start_date, external_id, cancel_reason, search_tokens, extra, finished_on, late_days)
                SELECT now(), now(), %(ledger)s, g, '罗检〔' || %(year)s || '〕' || lpad(g::text, 7, '0') || '号',
                    (%(places)s::text[])[1 + g %% %(n_places)s] || (%(matters)s::text[])[1 + (g / %(n_places)s) %% %(n_matters)s]
                        || (%(actions)s::text[])[1 + (g / %(n_pm)s) %% %(n_actions)s]
                        || CASE WHEN g %% 3 = 0 THEN '（第' || (1 + g %% 97) || '批）' ELSE '' END,
                    '', 'audit',
                    CASE WHEN g %% 4 = 0 THEN '罗审整〔' || (2020 + g %% 6) || '〕' || lpad((1 + g / 4 %% 300)::text, 3, '0') || '号' ELSE '' END,
                    '', (%(units)s::bigint[])[1 + g %% %(n_units)s], (%(leaders)s::bigint[])[1 + g %% %(n_leaders)s],
                    false, 'normal', %(today)s::date + (g %% 730) - 180, %(today)s::date + (g %% 730) - 180, 'monthly', '', 1,
                    (g * 7) %% 101, (ARRAY['assigned','acknowledged','in_progress','in_progress','submitted','closed'])[1 + g %% 6],
                    CASE WHEN g %% 6 = 5 THEN 'none' WHEN (g %% 730) < 180 THEN 'red'
                         WHEN (g %% 730) < 187 THEN 'yellow' ELSE 'green' END,
                    now() - interval '200 days', %(today)s::date - 200, 'S-' || g, '', '', '[]',
                    CASE WHEN g %% 6 = 5 THEN %(today)s::date - g %% 300 END, CASE WHEN g %% 6 = 5 THEN 0 END
                FROM generate_series(%(first)s, %(last)s) AS g
                """,
                {"ledger": ledger.pk, "year": str(self.today.year), "places": PLACES, "n_places": len(PLACES),
                 "matters": MATTERS, "n_matters": len(MATTERS), "actions": ACTIONS, "n_actions": len(ACTIONS),
                 "n_pm": len(PLACES) * len(MATTERS), "units": units, "n_units": len(units), "leaders": leaders,
                 "n_leaders": len(leaders), "today": self.today, "first": first, "last": first + count - 1},
            )  # fmt: skip
            self._tokens(ledger, first, first + count - 1)
        _sql("VACUUM ANALYZE ledger_item")
        self.stdout.write(f"{Item.objects.count():,} items ({time.perf_counter() - started:.0f} s to grow)")

    def _tokens(self, ledger: Ledger, first: int, last: int) -> None:
        """The search tokens as the services write them (`duban.core.search.tokens`)."""
        _sql(
            "UPDATE ledger_item i SET search_tokens = "  # noqa: S608 - a fixed expression
            + search.tokens_sql("i.number || ' ' || i.title || ' ' || i.basis_document")
            + " WHERE i.ledger_id = %s AND i.seq BETWEEN %s AND %s",
            [ledger.pk, first, last],
        )

    # --- measures -------------------------------------------------------------------------------

    def _filters(self, ledger: Ledger) -> list[tuple[str, dict, tuple[str, list]]]:
        """(name, the list's query string, the raw SQL of the same page) for each filter and query class."""
        unit = Unit.objects.get(pk=_sql("SELECT lead_unit_id FROM ledger_item WHERE ledger_id = %s LIMIT 1",
                                         [ledger.pk])[0][0])  # fmt: skip
        leader = Item.objects.filter(ledger=ledger).exclude(leader=None).values_list("leader", flat=True).first()
        sample = Item.objects.filter(ledger=ledger).order_by("seq")[12_345 % max(1, ledger.items.count())]
        named = list(Unit.objects.named("城管局").values_list("pk", flat=True))
        due_from, due_to = self.today + dt.timedelta(days=10), self.today + dt.timedelta(days=40)
        page = "SELECT i.id, i.number, i.title, u.name FROM ledger_item i JOIN orgs_unit u ON u.id = i.lead_unit_id "
        order = " ORDER BY i.ledger_id, i.seq LIMIT 50"

        def text(query):
            return (page + "WHERE i.number ILIKE %s OR i.title ILIKE %s OR i.basis_document ILIKE %s" + order,
                    [f"%{query}%"] * 3)  # fmt: skip

        return [
            ("none", {}, (page + "WHERE true" + order, [])),
            ("unit", {"unit": unit.pk}, (page + "WHERE i.lead_unit_id = %s" + order, [unit.pk])),
            ("state", {"state": "in_progress"}, (page + "WHERE i.state = 'in_progress'" + order, [])),
            ("light", {"light": "red"}, (page + "WHERE i.light = 'red'" + order, [])),
            ("deadline range", {"due_from": due_from, "due_to": due_to},
             (page + "WHERE i.effective_deadline BETWEEN %s AND %s" + order, [due_from, due_to])),
            ("leader", {"leader": leader}, (page + "WHERE i.leader_id = %s" + order, [leader])),
            ("text: a two-character word (整治)", {"q": "整治"}, text("整治")),
            ("text: a common place (东门步行街)", {"q": "东门步行街"}, text("东门步行街")),
            ("text: a rare phrase (a whole title)", {"q": sample.title}, text(sample.title)),
            ("text: an item number", {"q": sample.number}, text(sample.number)),
            ("text: a document number (罗审整〔2024〕012号)", {"q": "罗审整〔2024〕012号"}, text("罗审整〔2024〕012号")),
            ("text: a long query", {"q": "黄贝岭消防通道整治提升工作方案"}, text("黄贝岭消防通道整治提升工作方案")),
            ("text: nothing matches", {"q": "不存在的事项"}, text("不存在的事项")),
            ("text: a unit's short name (城管局)", {"q": "城管局"},
             (text("城管局")[0].replace(order, " OR i.lead_unit_id = ANY(%s)" + order), [*text("城管局")[1], named])),
        ]  # fmt: skip

    def _measure(self, name: str, params: dict, raw: tuple[str, list], runs: int) -> tuple[str, float, float, float]:
        response = self.client.get("/ledger/", params)
        if response.status_code != 200:
            raise CommandError(f"{name}: the list answered {response.status_code}")
        page = timed(lambda: self.client.get("/ledger/", params), runs, warm=True)
        sql = timed(
            lambda: _sql(*raw), max(3, runs // 6), warm=True
        )  # its median only: a sequential scan takes seconds
        return name, ms(page, 0.5), ms(page, 0.95), ms(sql, 0.5)

    def _print(self, results: dict) -> None:
        sizes = list(results)
        self.stdout.write("\n| filter | " + " | ".join(f"{size:,}: p50 / p95 (raw SQL p50)" for size in sizes) + " |")
        self.stdout.write("| --- |" + " --- |" * len(sizes))
        for index, (name, *_rest) in enumerate(results[sizes[0]]):
            cells = [f"{results[size][index][1]:.1f} / {results[size][index][2]:.1f} ms ({results[size][index][3]:.1f})"
                     for size in sizes]  # fmt: skip
            self.stdout.write(f"| {name} | " + " | ".join(cells) + " |")
