"""The demo's treasury green channel (国库支付绿色通道 + 容缺受理), played through the payments services:
区财政局's treasury payment centre pays the livelihood funds of education, health, civil affairs
and two streets through the green channel and everything else through the normal one, over this
year up to today. Some green requests come without their invoice or acceptance report and are
accepted on a commitment letter; most of those documents arrive on time, some late; 桂园街道 misses
one by more than the allowed working days, its green channel is suspended until it supplies it.
Each step happens at its own time, so the statistics page computes how much faster the green
channel pays from the requests themselves."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from duban.core.workdays import add_working_days, is_workday, on_day
from duban.demo.fleet_seed import _login, _person
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole, UnitKind
from duban.orgs.models import Person, Unit, User
from duban.payments import services
from duban.payments.choices import CentreRole, Channel
from duban.payments.models import CentrePost, CentreSettings, DocumentType, Fund, GreenUnit, RequestType

PDF = b"%PDF-1.4\n% demo scan\n"
DIRECTORS = ["欧阳明哲", "司马嘉宁", "上官文博"]
# unit (short name), preparer login, livelihood fund, ordinary fund, green requests, normal requests
UNITS = [
    ("区教育局", "staff_education", "学位建设和教育民生专项资金", "机关运行经费", 16, 8),
    ("区卫健局", "staff_health", "基本公共卫生服务专项资金", "信息化运维经费", 14, 8),
    ("区民政局", "staff_civil", "困难群众救助和养老服务专项资金", "机关运行经费", 16, 6),
    ("东门街道", "staff_dongmen", "老旧小区改造和民生微实事资金", "街道办公经费", 10, 8),
    ("桂园街道", "staff_guiyuan", "民生微实事和社区服务资金", "街道办公经费", 10, 8),
]
PROJECTS = {
    "区教育局": [("翠园中学东晓校区学位扩建工程进度款", "工程款"), ("学前教育普惠性幼儿园补助发放", "补助资金发放"),
                ("中小学课后服务经费", "专项工作经费")],
    "区卫健局": [("社区健康服务中心基本公共卫生服务补助", "补助资金发放"),
                ("家庭医生签约服务设备采购", "货物和服务采购款")],
    "区民政局": [("困难群众临时救助金发放", "补助资金发放"), ("长者饭堂运营补贴", "补助资金发放"),
                ("居家养老服务采购", "货物和服务采购款")],
    "东门街道": [("老旧小区雨污分流改造工程款", "工程款"), ("民生微实事项目服务采购", "货物和服务采购款")],
    "桂园街道": [("民生微实事项目服务采购", "货物和服务采购款"), ("社区党群服务中心适老化改造工程款", "工程款")],
}  # fmt: skip
PAYEES = [("深圳市罗湖建筑工程有限公司", "中国建设银行深圳罗湖支行"),
          ("深圳市鹏城社会工作服务中心", "中国工商银行深圳东门支行"),
          ("深圳市桂园物业管理有限公司", "招商银行深圳桂园支行"),
          ("深圳市翠竹教育设备有限公司", "中国银行深圳人民路支行"),
          ("深圳市莲塘医疗器械有限公司", "平安银行深圳罗湖支行")]  # fmt: skip
# secondary documents that may follow, by request type
FOLLOWING = {"工程款": ["invoice", "acceptance"], "货物和服务采购款": ["invoice", "acceptance"],
             "补助资金发放": ["publicity"], "专项工作经费": ["minutes", "invoice"]}  # fmt: skip


def seed_payments(rng: random.Random, logins: dict[str, User]) -> None:
    finance = Unit.objects.get(short_name="区财政局")
    centre = org_services.unit_create(actor=None, parent=finance, name="区财政局国库支付中心",
                                      kind=UnitKind.DEPARTMENT, short_name="国库支付中心")  # fmt: skip
    taken = set(Person.objects.values_list("name", flat=True))
    director = org_services.person_create(actor=None, name=next(n for n in DIRECTORS if n not in taken),
                                          mobile=f"136{rng.randrange(10**8):08d}")  # fmt: skip
    org_services.position_assign(actor=None, person=director, unit=centre, role=PositionRole.HEAD, title="主任")
    people = {}
    for n, (username, role) in enumerate([("treasury_admin", CentreRole.ADMIN), ("treasury_clerk", CentreRole.CLERK),
                                          ("treasury_clerk2", CentreRole.CLERK),
                                          ("treasury_reviewer", CentreRole.REVIEWER),
                                          ("treasury_approver", CentreRole.APPROVER),
                                          ("treasury_cashier", CentreRole.CASHIER)]):  # fmt: skip
        person = _person(rng, centre, "科员", 20 + n)
        people[username] = _login(person, username)
        CentrePost.objects.create(person=person, role=role)
    CentreSettings.objects.create(centre=centre)
    services.standard_checklist(actor=None)
    year = timezone.localdate().year
    actors = []
    for n, (short, login, livelihood, ordinary, greens, normals) in enumerate(UNITS, start=1):
        unit = Unit.objects.get(Q(short_name=short) | Q(name=short))
        green = Fund.objects.create(number=f"罗财预〔{year}〕{100 + n}号", name=f"{short}{livelihood}", unit=unit,
                                    year=year, amount=Decimal(rng.randrange(30, 90) * 100000), livelihood=True,
                                    green=True)  # fmt: skip
        plain = Fund.objects.create(number=f"罗财预〔{year}〕{200 + n}号", name=f"{short}{ordinary}", unit=unit,
                                    year=year, amount=Decimal(rng.randrange(5, 20) * 100000))  # fmt: skip
        GreenUnit.objects.create(unit=unit)
        posted = unit.positions.current().select_related("person")
        free = posted.filter(role__in=[PositionRole.STAFF, PositionRole.DEPUTY], person__user__isnull=True)
        staff = free.order_by("role", "pk").first()
        preparer = logins.get(login) or _login(staff.person if staff else _person(rng, unit, "科员", n), login)
        head = posted.filter(role=PositionRole.HEAD).order_by("pk").first().person
        head_user = _login(head, {"东门街道": "head_dongmen"}.get(short, f"head_{login.removeprefix('staff_')}"))
        actors.append((unit, preparer, head_user, green, plain, greens, normals))
    Play(rng, people, actors).run()


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class Play:
    """Every request's steps at their own moments, in the order they happen, with the centre's
    sweep (overdue documents, suspensions) run at the start of each working day."""

    def __init__(self, rng: random.Random, people: dict[str, User], actors: list) -> None:
        self.rng, self.people, self.actors = rng, people, actors
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.queue: list = []
        self.order = itertools.count()
        self.invoice = itertools.count(30010001)
        self.voucher = itertools.count(1)
        self.types = {t.name: t for t in RequestType.objects.all()}
        self.docs = {t.code: t for t in DocumentType.objects.all()}

    def run(self) -> None:
        start = dt.date(self.today.year, 1, 5)
        days = [start + dt.timedelta(days=n) for n in range((self.today - start).days)]
        workdays = [day for day in days if is_workday(day)]
        for unit, preparer, head, green, plain, greens, normals in self.actors:
            for day in sorted(self.rng.sample(workdays, greens + normals)):
                channel = Channel.GREEN if self.rng.random() < greens / (greens + normals) else Channel.NORMAL
                at = on_day(day, self.rng.choice([9, 10, 11, 14, 15])) + dt.timedelta(minutes=self.rng.randrange(50))
                self.push(at, self.request_life(unit, preparer, head, green if channel == Channel.GREEN else plain,
                                                channel, at))  # fmt: skip
            if unit.name == "桂园街道":  # the request whose invoice comes too late (see supply_time)
                day = next(day for day in workdays if day >= dt.date(self.today.year, 6, 15))
                self.push(on_day(day, 10), self.request_life(unit, preparer, head, green, Channel.GREEN,
                                                             on_day(day, 10), late=True))  # fmt: skip
        swept = None
        while self.queue:
            at, _n, life = heapq.heappop(self.queue)
            if at >= self.now:
                continue  # not happened yet: the request waits where it is today
            day = timezone.localtime(at).date()
            if day != swept:
                swept = day
                morning = on_day(day, 8)
                services.gaps_lapse(at=morning)
                services.suspensions_review(at=morning)
            try:
                following = next(life)
            except StopIteration:
                continue
            self.push(following, life)

    def push(self, at: dt.datetime, life) -> None:
        heapq.heappush(self.queue, (at, next(self.order), life))

    def later(self, at: dt.datetime, hours: float) -> dt.datetime:
        """`hours` of office time after `at` (09:00–18:00 on working days)."""
        moment = timezone.localtime(at) + dt.timedelta(hours=hours)
        if moment.hour >= 18 or moment.hour < 9 or not is_workday(moment.date()):
            day = add_working_days(moment.date(), 1) if moment.hour >= 18 or not is_workday(moment.date()) else (
                moment.date())  # fmt: skip
            moment = on_day(day, 9) + dt.timedelta(minutes=self.rng.randrange(90))
        return moment

    def next_days(self, at: dt.datetime, days: int) -> dt.datetime:
        day = add_working_days(timezone.localtime(at).date(), days)
        return on_day(day, self.rng.choice([9, 10, 14, 15])) + dt.timedelta(minutes=self.rng.randrange(60))

    def request_life(self, unit, preparer, head, fund, channel, at, late: bool = False):
        rng = self.rng
        project, type_name = rng.choice(PROJECTS[unit.short_name if unit.short_name in PROJECTS else unit.name])
        request_type = self.types[type_name]
        if channel == Channel.GREEN and services.green_refusal(unit, fund):
            channel, fund = Channel.NORMAL, next(a[4] for a in self.actors if a[0] == unit)
        if late:
            project, type_name = "民生微实事项目服务采购", "货物和服务采购款"
            request_type = self.types[type_name]
        following = FOLLOWING[type_name] if channel == Channel.GREEN and (late or rng.random() < 0.35) else []
        payee, bank = rng.choice(PAYEES)
        request = services.request_prepare(
            actor=preparer, unit=unit, request_type=request_type, project=project, fund=fund, channel=channel,
            amount=Decimal(rng.randrange(20_000, 2_400_000)) / 10, payee_name=payee, payee_bank=bank,
            payee_account=f"4420150{rng.randrange(10**12):012d}",
            contract_ref=f"罗合〔{at.year}〕{rng.randrange(1, 400)}号",
            invoice_ref=str(next(self.invoice)), at=at,
        )  # fmt: skip
        documents = [(t, pdf(f"{t.name}.pdf")) for t in request_type.documents.all() if t.code not in following]
        services.documents_add(actor=preparer, request=request, uploads=documents, at=at)
        services.request_step(actor=preparer, request=request, code="submit", at=at)
        clerk = self.people["treasury_clerk"]
        green = channel == Channel.GREEN
        at = self.later(at, rng.uniform(0.3, 1.5) if green else rng.uniform(3, 9))
        yield at
        if following:
            request.refresh_from_db()
            due = request.due_on
            gaps = [{"document_type": self.docs[code], "due_on": due} for code in following]
            services.request_step(actor=clerk, request=request, code="defer", gaps=gaps, at=at)
            at = self.later(at, rng.uniform(0.3, 1.2))
            yield at
            services.request_step(actor=head, request=request, code="commit", sealed=True, at=at)
            for gap in request.gaps.all():
                arrives = max(
                    self.supply_time(due, late=late and gap.document_type.code == "invoice"), self.later(at, 0.5)
                )
                self.push(arrives, self.supply_life(gap, preparer, arrives))
        elif not green and rng.random() < 0.08:
            services.request_step(actor=clerk, request=request, code="return", at=at,
                                  reason="收款账户证明与合同约定的收款人不一致，请核实后重新提交")  # fmt: skip
            return
        else:
            services.request_step(actor=clerk, request=request, code="accept", at=at)
        for username, code in [("treasury_reviewer", "review"), ("treasury_approver", "approve"),
                               ("treasury_cashier", "pay")]:  # fmt: skip
            at = self.later(at, rng.uniform(0.5, 2.5)) if green else self.next_days(at, rng.choice([1, 1, 2]))
            yield at
            data = {"paid_on": timezone.localtime(at).date(), "voucher": f"GK{at.year}-{next(self.voucher):06d}"}
            services.request_step(actor=self.people[username], request=request, code=code, at=at,
                                  **(data if code == "pay" else {}))  # fmt: skip

    def supply_time(self, due: dt.date, *, late: bool = False) -> dt.datetime:
        """Most documents arrive by their date, some a working day or two late; 桂园街道's invoice
        arrives only after its green channel was suspended."""
        if late:
            return self.next_days(on_day(due), 6)
        if self.rng.random() < 0.8:
            return self.later(on_day(due, 9), self.rng.uniform(0, 6))
        return self.next_days(on_day(due), self.rng.choice([1, 2]))

    def supply_life(self, gap, preparer, at):
        services.gap_step(actor=preparer, gap=gap, code="supply", upload=pdf(f"{gap.document_type.name}.pdf"), at=at)
        at = self.later(at, self.rng.uniform(0.5, 4))
        yield at
        services.gap_step(actor=self.people["treasury_clerk2"], gap=gap, code="confirm", at=at)
