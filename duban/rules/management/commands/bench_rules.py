"""`duban bench_rules`: searching the rules registry at 10,000 rules on PostgreSQL (docs/performance.md).

Generates N rules with their full texts straight into the table (a benchmark's data, not the
demo's), then times the registry's search page as an official and the portal's as a visitor, for
queries from common to rare, and prints a Markdown table of the p50 and p95 in milliseconds.
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from duban.core.bench import demo_district, statics_from_finders
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User
from duban.rules.models import Rule, RuleVersion

TOPICS = ["公务接待", "财务审批", "档案管理", "值班值守", "信访举报", "干部培训", "政府采购", "固定资产", "安全生产",
          "工程建设", "合同管理", "印章使用", "保密工作", "车辆管理", "应急处置", "数据安全", "内部审计", "绩效考核"]  # fmt: skip
KINDS = ["制度", "办法", "规定", "细则", "规范"]
QUERIES = ["管理", "公务接待", "罗湖", "第十二条", "应急处置办法", "罗纪发〔2019〕17号", "不存在的词语"]


def _text(rng: random.Random, title: str) -> str:
    lines = [f"第一条 为规范{title}工作，根据有关法律法规，结合罗湖区实际，制定本{title[-2:]}。"]
    for n in range(2, rng.randrange(15, 40)):
        topic = rng.choice(TOPICS)
        lines.append(f"第{n}条 {topic}应当严格按照程序办理，相关部门负责监督检查，发现问题及时整改。")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Benchmark the rules registry's search on PostgreSQL (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--rules", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=100)

    def handle(self, *args, rules: int, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        unit, user = self._data(rules)
        with statics_from_finders():
            rows = self._measure(user, runs)
        self.stdout.write(f"{Rule.objects.count():,} rules\n")
        self.stdout.write("| page | query | p50 ms | p95 ms |\n|---|---|---:|---:|")
        for who, query, p50, p95 in rows:
            self.stdout.write(f"| {who} | {query} | {p50:.1f} | {p95:.1f} |")

    def _measure(self, user, runs: int) -> list[tuple]:
        official, visitor = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
        official.force_login(user)
        rows = []
        for query in QUERIES:
            for who, client, url in [("registry", official, reverse("rules:rule_list")),
                                     ("portal", visitor, reverse("portal:policies"))]:  # fmt: skip
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response = client.get(url, {"q": query})
                    timings.append(time.perf_counter() - started)
                    assert response.status_code == 200
                timings.sort()
                p50, p95 = timings[len(timings) // 2] * 1000, timings[int(0.95 * len(timings))] * 1000
                rows.append((who, query, p50, p95))
        return rows

    def _data(self, n: int):
        unit = Unit.objects.filter(name="区（基准测试）").first()
        if unit is None:
            unit = org_services.unit_create(
                actor=None, parent=demo_district(), name="区（基准测试）", kind=UnitKind.DEPARTMENT
            )
        user = User.objects.filter(username="bench_rules_admin").first()
        if user is None:
            person = org_services.person_create(actor=None, name="基准测试管理员")
            org_services.position_assign(actor=None, person=person, unit=unit, role="staff", title="科员")
            user = org_services.official_account_create(actor=None, person=person, username="bench_rules_admin",
                                                        password="bench-only-0000", is_office_admin=True)  # fmt: skip  # noqa: S106 - benchmark data only
        have = Rule.objects.filter(issuing_unit=unit).count()
        rng = random.Random(2026)
        batch = []
        for i in range(have, n):
            title = f"罗湖区{rng.choice(TOPICS)}{rng.choice(KINDS)}（{i}）"
            number = f"罗纪发〔{rng.randrange(2010, 2026)}〕{rng.randrange(1, 99)}号"
            text = _text(rng, title)
            rule = Rule(issuing_unit=unit, title=title, kind="system", scope=rng.choice(["public", "internal"]),
                        status="in_force", version=1, document_number=number, text=text)  # fmt: skip
            rule.refresh_search_tokens()
            batch.append(rule)
            if len(batch) == 1000:
                self._insert(batch)
                batch = []
        if batch:
            self._insert(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE rules_rule")
        return unit, user

    @staticmethod
    def _insert(rules: list[Rule]) -> None:
        created = Rule.objects.bulk_create(rules)
        RuleVersion.objects.bulk_create(
            RuleVersion(rule=rule, number=1, title=rule.title, document_number=rule.document_number,
                        adopted_on="2020-01-01", effective_on="2020-01-01", text=rule.text)
            for rule in created
        )  # fmt: skip
