"""Builds the demo district through the platform's own services, so every figure is computed."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from duban.demo import luohu
from duban.demo.bulletins_seed import seed_bulletins
from duban.demo.campaign_seed import seed_campaigns
from duban.demo.contracts_seed import seed_contracts
from duban.demo.fleet_seed import seed_fleet
from duban.demo.ledger_seed import seed_ledgers
from duban.demo.payments_seed import seed_payments
from duban.demo.reform_seed import seed_reform_current, seed_reform_followups, seed_reform_history
from duban.demo.renewal_seed import seed_renewal
from duban.demo.research_seed import seed_research
from duban.demo.rules_seed import seed_rules
from duban.orgs import services
from duban.orgs.choices import AccountType, LeaderRank, PositionRole, UnitKind
from duban.orgs.models import Domain, Person, Unit, User
from duban.orgs.verification import resident_account_verified

DEMO_PASSWORD = "luohu-demo-2024"  # noqa: S105 - printed by `make demo`; demo data only
SEED_START = dt.date(2021, 1, 4)

# username, persona, how the account is found or made (see _make_logins)
PERSONAS = [
    ("office_admin", "office admin (区委改革办)"),
    ("leader", "district leader (常务副区长)"),
    ("secretary", "district party secretary (区委书记): the cockpit over the whole district"),
    ("head_dongmen", "unit head (东门街道 一把手)"),
    ("staff_dongmen", "unit A staff (东门街道)"),
    ("staff_guiyuan", "unit B staff (桂园街道)"),
    ("supervisor", "supervisor (区纪委监委)"),
    ("expert", "expert (third-party evaluator)"),
    ("staff_invest", "requests official cars (区投资推广和企业服务中心)"),
    ("approver_invest", "approves its unit's car requests (区投资推广和企业服务中心)"),
    ("dispatcher", "dispatches the platform's cars (区机关事务局)"),
    ("driver", "drives the platform's cars (机关车队)"),
    ("fleet_admin", "runs the official-car platform (区机关事务局)"),
    ("treasury_admin", "administers the treasury green channel (区财政局国库支付中心)"),
    ("treasury_clerk", "accepts payment requests, checks supplied documents (国库支付中心)"),
    ("treasury_clerk2", "a second clerk: confirms what the first recorded (国库支付中心)"),
    ("treasury_reviewer", "reviews payment requests (国库支付中心)"),
    ("treasury_approver", "approves payments (国库支付中心)"),
    ("treasury_cashier", "records payments (国库支付中心)"),
    ("head_education", "signs commitment letters (区教育局 head)"),
    ("research_staff", "runs commissioned research (区发展研究中心)"),
    ("applicant1", "bids for research projects (综合开发研究院)"),
    (
        "13800138000",
        "resident (sign in at /accounts/resident/ with this number; the code is printed in the log)",
    ),
]


class Names:
    """Fictional personal names, deterministic for a given seed and never repeated."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def next(self) -> str:
        while True:
            size = self.rng.choice([1, 2, 2])
            name = self.rng.choice(luohu.SURNAMES) + "".join(self.rng.choice(luohu.GIVEN) for _ in range(size))
            if name not in self.used:
                self.used.add(name)
                return name


def _post(names: Names, unit: Unit, role: str, title: str, rng: random.Random) -> Person:
    person = services.person_create(
        actor=None,
        name=names.next(),
        gender=rng.choice(["M", "F"]),
        mobile=f"139{rng.randrange(10**8):08d}",
        office_phone=f"0755-{rng.randrange(2000_0000, 2599_9999)}",
    )
    services.position_assign(actor=None, person=person, unit=unit, role=role, title=title, started_on=SEED_START)
    return person


def _staff_unit(names: Names, unit: Unit, rng: random.Random, *, head: str, deputy: str, staff: int) -> None:
    _post(names, unit, PositionRole.HEAD, head, rng)
    _post(names, unit, PositionRole.DEPUTY, deputy, rng)
    for _ in range(staff):
        _post(names, unit, PositionRole.STAFF, "科员", rng)
    _post(names, unit, PositionRole.LIAISON, "改革联络员", rng)


def seed_organisation(rng: random.Random) -> dict[str, Unit]:
    """Create the unit tree, its people and the leaders' portfolios; return units by short name."""
    names = Names(rng)
    by_short: dict[str, Unit] = {}
    district = services.unit_create(actor=None, parent=None, kind=UnitKind.DISTRICT, **luohu.DISTRICT)
    for order, (street_name, code, verified, filler) in enumerate(luohu.STREETS):
        street = services.unit_create(
            actor=None, parent=district, name=street_name, kind=UnitKind.STREET, code=code, sort_order=order
        )
        by_short[street_name] = street
        _staff_unit(names, street, rng, head="街道党工委书记", deputy="街道办事处主任", staff=2)
        for index, community_name in enumerate(verified + filler):
            community = services.unit_create(
                actor=None,
                parent=street,
                name=f"{community_name}社区",
                kind=UnitKind.COMMUNITY,
                code=luohu.COMMUNITY_CODES.get((street_name, community_name), ""),
                sort_order=index,
            )
            _post(names, community, PositionRole.HEAD, "社区党委书记", rng)
            _post(names, community, PositionRole.STAFF, "社区工作站站长", rng)
            village = luohu.URBAN_VILLAGES.get((street_name, community_name))
            if village:
                services.unit_create(actor=None, parent=community, name=village, kind=UnitKind.COMPOUND)
            for grid in luohu.GRIDS_PER_COMMUNITY:
                services.unit_create(
                    actor=None, parent=community, name=f"{community_name}社区{grid}", kind=UnitKind.GRID
                )
    for order, (name, short, children) in enumerate(luohu.COMMISSIONS):
        unit = services.unit_create(
            actor=None,
            parent=district,
            name=name,
            short_name=short,
            kind=UnitKind.COMMISSION,
            sort_order=100 + order,
        )
        by_short[short] = unit
        _staff_unit(names, unit, rng, head="主任", deputy="副主任", staff=1)
        for child_name, child_short in children:
            child = services.unit_create(
                actor=None, parent=unit, name=child_name, short_name=child_short, kind=UnitKind.COMMISSION
            )
            by_short[child_short] = child
            _staff_unit(names, child, rng, head="主任", deputy="副主任", staff=2)
    for kind, first, rows in [
        (UnitKind.DEPARTMENT, 200, luohu.DEPARTMENTS),
        (UnitKind.BRANCH, 300, luohu.BRANCHES),
    ]:
        for order, (name, short) in enumerate(rows):
            unit = services.unit_create(
                actor=None, parent=district, name=name, short_name=short, kind=kind, sort_order=first + order
            )
            by_short[short] = unit
            _staff_unit(names, unit, rng, head="局长", deputy="副局长", staff=1)
    for order, (name, short) in enumerate(luohu.EXTERNALS):
        by_short[short] = services.unit_create(
            actor=None, parent=None, name=name, short_name=short, kind=UnitKind.EXTERNAL, sort_order=order
        )
    for order, (code, name) in enumerate(luohu.DOMAINS):
        Domain.objects.create(code=code, name=name, sort_order=order)
    for order, (title, rank, domains, units) in enumerate(luohu.LEADERS):
        leader = services.person_create(actor=None, name=names.next(), gender=rng.choice(["M", "F"]))
        services.portfolio_create(
            actor=None,
            leader=leader,
            title=title,
            rank=LeaderRank(rank),
            domains=Domain.objects.filter(code__in=domains),
            units=[by_short[u] for u in units],
            sort_order=order,
            started_on=SEED_START,
        )
    return by_short


def _login_for(person: Person, username: str, **flags) -> User:
    return services.official_account_create(
        actor=None, person=person, username=username, password=DEMO_PASSWORD, **flags
    )


def _make_logins(by_short: dict[str, Unit], names: Names, rng: random.Random) -> dict[str, User]:
    def staff_of(short: str, role: str = PositionRole.STAFF) -> Person:
        return by_short[short].positions.current().filter(role=role).select_related("person").first().person

    _login_for(staff_of("区委改革办"), "office_admin", is_office_admin=True)
    leader = Person.objects.get(portfolios__title="常务副区长", portfolios__ended_on__isnull=True)
    _login_for(leader, "leader")
    secretary = Person.objects.get(portfolios__title="区委书记", portfolios__ended_on__isnull=True)
    _login_for(secretary, "secretary")
    _login_for(staff_of("东门街道", PositionRole.HEAD), "head_dongmen")
    _login_for(staff_of("东门街道"), "staff_dongmen")
    _login_for(staff_of("桂园街道"), "staff_guiyuan")
    _login_for(staff_of("区纪委监委"), "supervisor", is_supervisor=True)
    evaluator = _post(names, by_short["第三方评估机构"], PositionRole.STAFF, "研究员", rng)
    _login_for(evaluator, "expert", is_expert=True, account_type=AccountType.EXTERNAL)
    resident_account_verified(destination="13800138000")
    return {user.username: user for user in User.objects.exclude(person=None)}


def demo_is_seeded() -> bool:
    return Unit.objects.filter(kind=UnitKind.DISTRICT).exists()


@transaction.atomic
def seed_demo(seed: int = 440303) -> None:
    """Seed the whole demo district in one transaction: a killed run leaves nothing behind."""
    rng = random.Random(seed)
    by_short = seed_organisation(rng)
    logins = _make_logins(by_short, Names(random.Random(seed + 1)), rng)
    seed_ledgers(rng, logins)
    seed_reform_history(rng, logins)
    seed_reform_current(rng, logins)
    seed_reform_followups(logins)
    seed_campaigns(rng, logins)
    seed_rules(rng, logins)
    seed_fleet(rng, logins)
    seed_payments(rng, logins)
    seed_research(rng, logins)
    seed_renewal(rng, logins)
    seed_contracts(rng, logins)
    seed_bulletins(logins)
