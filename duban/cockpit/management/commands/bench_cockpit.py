"""`duban bench_cockpit`: the leader's cockpit at a million ledger items and a million problem reports
on PostgreSQL (docs/performance.md), beside raw SQL computing the same figures.

Reuses (or generates) the ledger's and the problem reports' benchmark data (`duban bench_ledger`,
`duban bench_campaigns`), puts a share of the overdue items on the upper steps of the ladder through
the services, then times the whole cockpit page as the district, a leader in charge and a unit head,
and the wall screen, and prints a Markdown table of the p50 and p95 in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.management.commands.bench_campaigns import Command as CampaignsBench
from duban.campaigns.models import Campaign
from duban.cockpit.figures import MONTHS
from duban.core.bench import ms, statics_from_finders
from duban.ledger.choices import FINISHED_STATES, OPEN_STATES, NoticeLevel
from duban.ledger.management.commands.bench_ledger import Command as LedgerBench
from duban.ledger.models import Item, Notice
from duban.ledger.services import notice_issue
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole
from duban.orgs.models import Person, Unit, User

# A share of the overdue items at each upper step of the ladder: every third at 督查令, every
# sixth at 约谈, every twelfth at 通报 (the steps below them first, as the office issues them).
STEPS = [(3, [NoticeLevel.RED]), (6, [NoticeLevel.RED, NoticeLevel.INTERVIEW]),
         (12, [NoticeLevel.RED, NoticeLevel.INTERVIEW, NoticeLevel.PUBLIC_NOTICE])]  # fmt: skip


class Command(BaseCommand):
    help = "Benchmark the leader's cockpit on PostgreSQL (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=1_000_000)
        parser.add_argument("--reports", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, items: int, reports: int, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        self.today = timezone.localdate()
        ledger_bench = LedgerBench(stdout=self.stdout, stderr=self.stderr)
        ledger_bench.today = self.today
        ledger_bench._data(items, keep=True)
        CampaignsBench(stdout=self.stdout, stderr=self.stderr)._data(reports, keep=True)
        self._ladder()
        with statics_from_finders():
            rows = self._pages(runs)
        raw = self._raw(runs)
        self.stdout.write(f"\n{Item.objects.count():,} ledger items, {Item.objects.overdue(self.today).count():,} "
                          f"overdue, {Notice.objects.count():,} notices; raw SQL for the district's figures: "
                          f"p50 {ms(raw, 0.5):.1f} ms, p95 {ms(raw, 0.95):.1f} ms\n")  # fmt: skip
        self.stdout.write("| page | as | queries | p50 ms | p95 ms |\n|---|---|---:|---:|---:|")
        for page, who, queries, seconds in rows:
            self.stdout.write(f"| {page} | {who} | {queries} | {ms(seconds, 0.5):.1f} | {ms(seconds, 0.95):.1f} |")

    # --- data -----------------------------------------------------------------------------------

    def _ladder(self) -> None:
        overdue = list(Item.objects.overdue(self.today).order_by("pk"))
        if Notice.objects.filter(item__in=overdue).exists():
            return
        started = time.perf_counter()
        for n, item in enumerate(overdue):
            levels = next((levels for every, levels in reversed(STEPS) if n % every == 0), [])
            for level in levels:
                notice_issue(actor=None, item=item, level=level, reason="逾期未办结（基准测试）")
        self.stdout.write(f"issued the ladder's notices in {time.perf_counter() - started:.0f} s")

    def _user(self, person: Person, username: str) -> User:
        if person.user_id:
            return person.user
        return org_services.official_account_create(actor=None, person=person, username=username, password=None)

    def _personas(self) -> list[tuple[str, User]]:
        secretary = Person.objects.get(portfolios__title="区委书记", portfolios__ended_on__isnull=True)
        leader = Person.objects.get(portfolios__title="常务副区长", portfolios__ended_on__isnull=True)
        street = Unit.objects.get(name="东门街道")
        head = street.positions.current().filter(role=PositionRole.HEAD).select_related("person").first().person
        return [
            ("the district (区委书记)", self._user(secretary, "bench_secretary")),
            ("a leader in charge (常务副区长)", self._user(leader, "bench_leader")),
            ("a unit head (东门街道)", self._user(head, "bench_head")),
        ]

    # --- measures -------------------------------------------------------------------------------

    def _pages(self, runs: int) -> list[tuple]:
        rows = []
        personas = self._personas()
        pages = [
            ("cockpit", reverse("cockpit:home"), personas),
            ("wall screen", reverse("cockpit:screen"), personas[:1]),
        ]
        for page, path, who in pages:
            for label, user in who:
                client = Client(SERVER_NAME="localhost")
                client.force_login(user)
                queries: list[str] = []

                def counted(execute, sql, *call, queries=queries):
                    queries.append(sql)
                    return execute(sql, *call)

                with connection.execute_wrapper(counted):
                    answer = client.get(path)
                if answer.status_code != 200:
                    raise CommandError(f"{path} as {label} answered {answer.status_code}")
                seconds = []
                for _ in range(runs):
                    start = time.perf_counter()
                    client.get(path)
                    seconds.append(time.perf_counter() - start)
                rows.append((page, label, len(queries), seconds))
        return rows

    def _raw(self, runs: int) -> list[float]:
        """The district's ledger figures and the campaign's weekly ones, each in one hand-written query."""
        today = self.today
        first = today.replace(day=1)
        for _ in range(MONTHS - 1):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        monday = today - dt.timedelta(days=today.weekday() + 7 * 7)
        open_states, finished = sorted(OPEN_STATES), sorted(FINISHED_STATES)
        running = list(Campaign.objects.filter(starts_on__lte=today, ends_on__gte=monday).values_list("pk", flat=True))
        statements = [
            ("SELECT lead_unit_id, light, state, sum(n) FROM (SELECT lead_unit_id, light, state, n FROM ledger_itemcount "
             "UNION ALL SELECT lead_unit_id, light, state, n FROM ledger_itemcountdelta) c GROUP BY 1, 2, 3", []),
            ("SELECT lead_unit_id, count(*) FROM ledger_item WHERE state = ANY(%s) AND effective_deadline < %s GROUP BY 1",
             [open_states, today]),
            ("SELECT lead_unit_id, top, count(*) FROM (SELECT i.lead_unit_id, max(array_position(%s::text[], "
             "n.level::text)) AS top FROM ledger_item i JOIN ledger_notice n ON n.item_id = i.id "
             "WHERE i.state = ANY(%s) AND i.effective_deadline < %s GROUP BY i.id) t GROUP BY 1, 2",
             [list(NoticeLevel.values), open_states, today]),
            ("SELECT lead_unit_id, date_trunc('month', finished_on), coalesce(late_days, 0) <= 0, count(*) "
             "FROM ledger_item WHERE state = ANY(%s) AND finished_on >= %s AND finished_on <= %s GROUP BY 1, 2, 3",
             [finished, first, today]),
            ("SELECT campaign_id, date_trunc('week', created_at), count(*) FROM campaigns_report "
             "WHERE campaign_id = ANY(%s) AND created_at >= %s GROUP BY 1, 2", [running, monday]),
            ("SELECT campaign_id, date_trunc('week', closed_at), count(*) FROM campaigns_report "
             "WHERE campaign_id = ANY(%s) AND state = 'closed' AND closed_at >= %s GROUP BY 1, 2", [running, monday]),
            ("SELECT campaign_id, count(*), count(*) FILTER (WHERE expected_on < %s) FROM campaigns_report "
             "WHERE campaign_id = ANY(%s) AND state IN ('submitted', 'accepted', 'in_progress', 'fixed') GROUP BY 1",
             [today, running]),
        ]  # fmt: skip
        seconds = []
        with connection.cursor() as cursor:
            for _ in range(runs):
                start = time.perf_counter()
                for statement, params in statements:
                    cursor.execute(statement, params)
                    cursor.fetchall()
                seconds.append(time.perf_counter() - start)
        return seconds
