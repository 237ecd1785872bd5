"""`duban bench_results`: searching the results library on PostgreSQL (docs/performance.md).

Generates N accepted results with report texts of 3,000–9,000 characters straight into the tables (a
benchmark's data, not the demo's), then times the library's page as an official (every result) and
as a visitor (the public ones), for queries from common to rare, and prints a Markdown table.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from duban.core.bench import demo_district, pages_timed, statics_from_finders
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User
from duban.research.models import Project, Result, Topic, TopicCall

SUBJECTS = ["老旧小区改造", "营商环境", "基层治理", "城市更新", "养老服务", "口岸经济", "数字政府", "社区服务",
            "垃圾分类", "交通拥堵", "消防安全", "河湖治理", "学位供给", "医疗联合体", "人才住房", "夜间经济"]  # fmt: skip
FINDINGS = ["调研发现{s}工作推进不平衡，部分社区底数不清。", "建议建立{s}联席会议制度，明确牵头单位和责任分工。",
            "{s}的资金来源单一，应当引入社会资本参与。", "对比先进地区经验，{s}的审批时限仍有压缩空间。",
            "问卷显示居民对{s}的满意度为百分之七十二。", "{s}相关数据分散在多个部门，尚未实现共享。"]  # fmt: skip
QUERIES = ["调研", "城市更新", "联席会议制度", "满意度为百分之七十二", "老旧小区改造研究（37）", "不存在的词语"]


def _text(rng: random.Random, subject: str) -> str:
    lines = []
    while sum(map(len, lines)) < rng.randrange(3000, 9000):
        lines.append(rng.choice(FINDINGS).format(s=rng.choice([subject, *SUBJECTS])))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Benchmark the results library's search on PostgreSQL (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--results", type=int, default=5_000)
        parser.add_argument("--runs", type=int, default=60)

    def handle(self, *args, results: int, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        user = self._data(results)
        official, visitor = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
        official.force_login(user)
        with statics_from_finders():
            rows = [("official", *row) for row in pages_timed(official, reverse("research:results"), QUERIES, runs)]
            rows += [("visitor", *row) for row in pages_timed(visitor, reverse("research:results"), QUERIES, runs)]
        self.stdout.write(f"{Result.objects.count():,} results\n")
        self.stdout.write("| who | query | p50 ms | p95 ms |\n|---|---|---:|---:|")
        for who, query, p50, p95, status in rows:
            if status != 200:
                raise CommandError(f"{who} {query}: the page answered {status}")
            self.stdout.write(f"| {who} | {query} | {p50:.1f} | {p95:.1f} |")

    def _data(self, n: int) -> User:
        unit = Unit.objects.filter(name="区（成果库基准）").first() or org_services.unit_create(
            actor=None, parent=demo_district(), name="区（成果库基准）", kind=UnitKind.DEPARTMENT
        )
        user = User.objects.filter(username="bench_results_admin").first() or User.objects.create(
            username="bench_results_admin", is_office_admin=True, is_superuser=True
        )
        call = TopicCall.objects.filter(year=1990).first() or TopicCall.objects.create(
            year=1990, title="基准测试课题征集", closes_on=dt.date(1990, 3, 31)
        )
        rng = random.Random(2026)
        now = timezone.now()
        for first in range(Result.objects.count(), n, 1000):
            last = min(n, first + 1000)
            subjects = [rng.choice(SUBJECTS) for _ in range(first, last)]
            topics = Topic.objects.bulk_create(
                Topic(call=call, unit=unit, proposer=user, title=f"{s}研究（{i}）", why="基准", questions="基准",
                      expected_use="基准", budget=100000) for i, s in zip(range(first, last), subjects, strict=True)
            )  # fmt: skip
            projects = Project.objects.bulk_create(
                Project(number=f"BENCH-{topic.pk}", topic=topic, title=topic.title, kind="general", budget_cap=100000,
                        selection="open", state="accepted") for topic in topics
            )  # fmt: skip
            made = []
            for index, (project, subject) in enumerate(zip(projects, subjects, strict=True)):
                result = Result(project=project, title=project.title, abstract=f"关于{subject}的研究报告摘要。",
                                file="research/bench.docx", file_name="研究报告.docx", text=_text(rng, subject),
                                visibility=rng.choice(["public", "internal"]),
                                published_at=now - dt.timedelta(days=first + index))  # fmt: skip
                result.refresh_search_tokens()
                made.append(result)
            Result.objects.bulk_create(made)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE research_result")
        return user
