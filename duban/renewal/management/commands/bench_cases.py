"""`duban bench_cases`: searching the mediation cases on PostgreSQL (docs/performance.md).

Generates N cases over 200 projects straight into the tables (a benchmark's data, not the demo's),
each naming its project, the developer and two to four owners, then times the case list as the
bureau for queries from common to rare, and prints a Markdown table.
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
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User
from duban.renewal.models import MediationCase, Project

PLACES = ["湖贝", "黄贝岭", "木头龙", "向西", "笋岗", "清水河", "莲塘", "翠竹", "布心", "田贝", "水贝", "罗芳"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉海燕"
QUERIES = ["湖贝", "黄贝岭片区", "罗更调〔2025〕1234号", "王伟", "不存在的名字"]


class Command(BaseCommand):
    help = "Benchmark the mediation cases' search on PostgreSQL (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=60)

    def handle(self, *args, cases: int, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        user = self._data(cases)
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        with statics_from_finders():
            rows = pages_timed(client, reverse("renewal:cases"), QUERIES, runs)
        self.stdout.write(f"{MediationCase.objects.count():,} cases\n")
        self.stdout.write("| query | p50 ms | p95 ms |\n|---|---:|---:|")
        for query, p50, p95, status in rows:
            if status != 200:
                raise CommandError(f"{query}: the page answered {status}")
            self.stdout.write(f"| {query} | {p50:.1f} | {p95:.1f} |")

    def _data(self, n: int) -> User:
        street = Unit.objects.filter(parent=demo_district(), kind=UnitKind.STREET).order_by("sort_order", "pk").first()
        user = User.objects.filter(username="bench_cases_admin").first() or User.objects.create(
            username="bench_cases_admin", is_office_admin=True, is_superuser=True
        )
        projects = list(Project.objects.filter(name__contains="（基准").order_by("pk"))
        if not projects:
            projects = Project.objects.bulk_create(
                Project(name=f"{PLACES[i % len(PLACES)]}片区城市更新单元（基准{i}）", street=street, kind="demolition",
                        developer=f"深圳市{PLACES[i % len(PLACES)]}实业有限公司", stage="signing")
                for i in range(200)
            )  # fmt: skip
        rng = random.Random(2026)
        now = timezone.now()
        for first in range(MediationCase.objects.count(), n, 5000):
            made = []
            for i in range(first, min(n, first + 5000)):
                project = projects[i % len(projects)]
                owners = [rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randrange(1, 3)))
                          for _ in range(rng.randrange(2, 5))]  # fmt: skip
                year = 2020 + i % 6
                case = MediationCase(number=f"罗更调〔{year}〕{i // 6 + 1}号", project=project, stage=project.stage,
                                     origin="application", claim_type="compensation", claim="要求提高补偿标准。",
                                     applied_at=now - dt.timedelta(hours=n - i),
                                     names="\n".join([project.name, project.developer, *owners]))  # fmt: skip
                case.refresh_search_tokens()
                made.append(case)
            MediationCase.objects.bulk_create(made)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE renewal_mediationcase")
        return user
