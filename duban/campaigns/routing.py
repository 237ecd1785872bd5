"""Where a point lies (district, street, community, grid, strict zone) and who answers for a
problem there: the routing rules, category × area → responsible unit and chief."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from duban.campaigns import geo
from duban.campaigns.choices import CoordinateSystem
from duban.campaigns.models import AreaShape, Campaign, Category, Chief, RoutingRule, StrictZone
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit


@dataclass(frozen=True)
class _Area:
    unit_id: int
    parent_id: int | None
    name: str
    kind: str
    depth: int
    path: str
    lat: float
    lng: float
    outline: tuple


@dataclass
class Route:
    area: Unit
    street: Unit
    zone: StrictZone | None
    rule: RoutingRule | None
    unit: Unit | None
    chief: Chief | None


class _Map:
    """Area shapes held in memory, reloaded when the table changes (checked with one small query)."""

    def __init__(self) -> None:
        self.version = None
        self.by_parent: dict[int | None, list[_Area]] = {}
        self.districts: list[_Area] = []
        self.drawn: list[dict] | None = None  # the areas map_areas() draws, derived once per version

    def current(self) -> _Map:
        version = tuple(AreaShape.objects.aggregate(n=Count("id"), at=Max("updated_at")).values()) + tuple(
            Unit.objects.aggregate(n=Count("id"), at=Max("updated_at")).values()
        )
        if version != self.version:
            self._load()
            self.version = version
        return self

    def _load(self) -> None:
        by_parent: dict[int | None, list[_Area]] = {}
        districts = []
        rows = AreaShape.objects.filter(unit__state="active").values_list(
            "unit_id",
            "unit__parent_id",
            "unit__name",
            "unit__kind",
            "unit__depth",
            "unit__path",
            "center_lat",
            "center_lng",
            "outline",
        )
        for unit_id, parent_id, name, kind, depth, path, lat, lng, outline in rows:
            shape = tuple(tuple(p) for p in outline or ())
            area = _Area(unit_id, parent_id, name, kind, depth, path, lat, lng, shape)
            if kind == UnitKind.DISTRICT:
                districts.append(area)
            else:
                by_parent.setdefault(parent_id, []).append(area)
        self.by_parent, self.districts, self.drawn = by_parent, districts, None


_MAP = _Map()


def _pick(candidates: list[_Area], lat: float, lng: float) -> _Area:
    for area in candidates:
        if area.outline and geo.contains(list(area.outline), lat, lng):
            return area
    return min(candidates, key=lambda a: geo.distance_m(lat, lng, a.lat, a.lng))


def _chain(lat: float, lng: float, areas: _Map) -> list[_Area]:
    """The mapped areas holding a WGS-84 point, street first, deepest last; refuses a point outside
    the district."""
    district = next((d for d in areas.districts if d.outline and geo.contains(list(d.outline), lat, lng)), None)
    if district is None:
        if any(d.outline for d in areas.districts):
            raise ValidationError({"location": _("This place is outside the district.")})
        district = areas.districts[0] if areas.districts else None
    if district is None or not areas.by_parent.get(district.unit_id):
        raise ValidationError({"location": _("The district's streets are not mapped yet; the office must map them.")})
    chain, current = [], district
    while children := areas.by_parent.get(current.unit_id):
        current = _pick(children, lat, lng)
        chain.append(current)
    return chain


def locate(lat: float, lng: float, areas: _Map | None = None) -> tuple[int, int]:
    """(deepest mapped area id, street id) of a WGS-84 point; refuses a point outside the district."""
    chain = _chain(lat, lng, areas or _MAP.current())
    return chain[-1].unit_id, chain[0].unit_id


def place_names(lat: float, lng: float) -> dict:
    """The street and community a WGS-84 point lies in, and the two as an address ("东门街道城东社区");
    refuses a point outside the district."""
    chain = _chain(lat, lng, _MAP.current())
    street = chain[0].name
    community = next((area.name for area in chain[1:] if area.kind == UnitKind.COMMUNITY), "")
    return {"street": street, "community": community, "address": f"{street}{community}"}


def place_address(text: str) -> tuple[float, float] | None:
    """The centre of the strict zone, chief's road or area whose name the address mentions (the
    longest name wins); None when the address names none of them."""
    text = (text or "").strip()
    if not text:
        return None
    candidates: list[tuple[str, float, float]] = []
    candidates += StrictZone.objects.values_list("name", "center_lat", "center_lng")
    candidates += AreaShape.objects.exclude(unit__kind=UnitKind.DISTRICT).values_list(
        "unit__name", "center_lat", "center_lng"
    )
    found = [(len(name), lat, lng) for name, lat, lng in candidates if name and name in text]
    if not found:
        return None
    _length, lat, lng = max(found)
    return lat, lng


class RoutingTable:
    """A campaign's zones, rules and chiefs read once, to route any number of points (a day's
    reports, an Open311 client's stream) without a query per point."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.map = _MAP.current()
        self.zones = list(campaign.zones.all())
        self.rules = list(RoutingRule.objects.filter(campaign=campaign).select_related("area", "unit", "chief__person"))
        self.chiefs = list(Chief.objects.filter(campaign=campaign).select_related("area", "person"))
        self.units: dict[int, Unit] = {}

    @classmethod
    def of(cls, campaign: Campaign, version: str | None = None) -> RoutingTable:
        """The campaign's table, kept in memory while the campaigns' set-up and the map are
        unchanged (checked with one small query, or by the `version` the caller read)."""
        version = current_version() if version is None else version
        cached = _TABLES.get(campaign.pk)
        if cached is None or cached[0] != version:
            cached = (version, cls(campaign))
            _TABLES[campaign.pk] = cached
        table = cached[1]
        table.campaign = campaign
        return table

    def unit(self, pk: int) -> Unit:
        if pk not in self.units:
            self.units.update(Unit.objects.in_bulk([pk]))
        return self.units[pk]

    def route(self, category: Category, lat: float, lng: float) -> Route:
        """Locate the point and apply the most specific routing rule; without one the report
        waits for the office to route it by hand."""
        area_id, street_id = locate(lat, lng, self.map)
        area, street = self.unit(area_id), self.unit(street_id)
        zone = next((z for z in self.zones if geo.distance_m(lat, lng, z.center_lat, z.center_lng) <= z.radius_m), None)
        rule = self.best_rule(category, area)
        chief = (rule.chief if rule else None) or self.chief_for(area)
        return Route(area, street, zone, rule, rule.unit if rule else None, chief)

    def best_rule(self, category: Category, area: Unit, unit: Unit | None = None) -> RoutingRule | None:
        """The deepest rule covering the area, one naming the category before one for every
        category; with `unit`, only rules routing to that unit."""
        lineage = set(_lineage(area))
        rules = [
            r
            for r in self.rules
            if r.area_id in lineage and r.category_id in (None, category.pk) and (unit is None or r.unit_id == unit.pk)
        ]
        if not rules:
            return None
        return max(rules, key=lambda r: (r.area.depth, r.category_id is not None))

    def chief_for(self, area: Unit) -> Chief | None:
        """The chief posted to the deepest area that holds the point."""
        lineage = set(_lineage(area))
        chiefs = [c for c in self.chiefs if c.area_id in lineage]
        if not chiefs:
            return None
        return max(chiefs, key=lambda c: (c.area.depth, -c.pk))


_TABLES: dict[int, tuple[str, RoutingTable]] = {}
_DIRECTORY: list = [None, {}]  # [version, {service_code: Category with its campaign}]

# The set-up's version stamp: a row count and the latest change of every table routing reads,
# as one text. Every set-up service saves through the model, so `updated_at` moves with each change.
VERSION_SQL = " || '/' || ".join(
    f"(SELECT COUNT(*) FROM {table}) || '/' || COALESCE((SELECT CAST(MAX(updated_at) AS TEXT) FROM {table}), '')"  # noqa: S608
    for table in (
        "campaigns_campaign",
        "campaigns_category",
        "campaigns_routingrule",
        "campaigns_chief",
        "campaigns_strictzone",
        "campaigns_areashape",
        "orgs_unit",  # a street retired or renamed
    )
)


_FORGOTTEN = [0.0]  # when this process last changed the set-up (time.monotonic())


def forget() -> None:
    """The set-up changed in this process: what was read before is not to be trusted, however
    fresh (the set-up services call this; other processes see the change by its version)."""
    _FORGOTTEN[0] = time.monotonic()


def read_since(moment: float) -> bool:
    """Whether something read at `moment` (time.monotonic()) postdates the last change here."""
    return moment > _FORGOTTEN[0]


def current_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {VERSION_SQL}")  # noqa: S608 - fixed table names
        return cursor.fetchone()[0]


def category_for_service(code: str, version: str, today) -> Category | None:
    """The category with this Open311 service code if it takes reports today, its campaign
    attached; read from memory while the set-up is at `version`."""
    if _DIRECTORY[0] != version:
        categories = Category.objects.filter(is_active=True).select_related("campaign")
        _DIRECTORY[:] = [version, {category.service_code: category for category in categories}]
    category = _DIRECTORY[1].get(code)
    if category is None or not category.campaign.is_running(today):
        return None
    return category


def _lineage(area: Unit) -> list[int]:
    """The area and every unit above it."""
    return [int(part) for part in area.path.strip("/").split("/") if part]


def to_map(lat: float, lng: float) -> list[float]:
    """A stored WGS-84 point in the coordinates of the configured map tiles."""
    if settings.DUBAN_MAP_COORDINATES == CoordinateSystem.GCJ02:
        lat, lng = geo.wgs84_to_gcj02(lat, lng)
    return [round(lat, 7), round(lng, 7)]


# Without a district outline, the streets' approximate outlines end this far beyond their centres.
_UNBOUNDED_MARGIN_M = 1500


def _drawn_areas(areas: _Map) -> list[dict]:
    """Streets and the communities in them, each with its outline: the one the office mapped, or
    else the part of its parent nearer to its centre than to its siblings' (`approximate`), which
    is where `locate` places a point."""
    drawn = []

    def level(parent_outline: list, children: list[_Area], kind: str) -> None:
        centres = [(area.lat, area.lng) for area in children]
        within = parent_outline or geo.box_around(centres, _UNBOUNDED_MARGIN_M)
        for area, cell in zip(children, geo.nearest_cells(centres, within), strict=True):
            outline = [list(point) for point in area.outline] or cell
            drawn.append(
                {
                    "name": area.name,
                    "kind": kind,
                    "at": [area.lat, area.lng],
                    "outline": outline,
                    "approximate": not area.outline,
                }
            )
            if kind == "street":
                communities = [a for a in areas.by_parent.get(area.unit_id, []) if a.kind == UnitKind.COMMUNITY]
                level(outline, sorted(communities, key=lambda a: a.name), "community")

    for district in areas.districts:
        streets = sorted(areas.by_parent.get(district.unit_id, []), key=lambda a: a.name)
        level([list(point) for point in district.outline], streets, "street")
    return drawn


def map_areas() -> dict:
    """The district outline, and its streets and communities with their (mapped or approximate)
    outlines and names, in the map's coordinates: the map stays usable without tiles."""
    areas = _MAP.current()
    if areas.drawn is None:
        areas.drawn = _drawn_areas(areas)
    districts = [[to_map(*point) for point in d.outline] for d in areas.districts if d.outline]
    if settings.DUBAN_MAP_COORDINATES == CoordinateSystem.WGS84:
        return {"districts": districts, "areas": areas.drawn}
    shown = [
        {**area, "at": to_map(*area["at"]), "outline": [to_map(*point) for point in area["outline"]]}
        for area in areas.drawn
    ]
    return {"districts": districts, "areas": shown}


def map_settings(point: tuple[float, float] | None = None) -> dict:
    """What the map pages need: the tile URL (empty: no tiles), its attribution and subdomains, the
    coordinate system the tiles are drawn in (what the map's clicks give), the areas, and `point` (a stored
    WGS-84 place) in the map's coordinates."""
    return {
        "tiles": settings.DUBAN_MAP_TILES,
        "attribution": settings.DUBAN_MAP_ATTRIBUTION,
        "subdomains": settings.DUBAN_MAP_SUBDOMAINS,
        "coordinates": settings.DUBAN_MAP_COORDINATES,
        "areas": map_areas(),
        "point": to_map(*point) if point else None,
    }
