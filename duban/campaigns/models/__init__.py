"""Special rectification campaigns (专项整治) and the problems residents and inspectors report in
them. Each accepted report is a ledger item in the campaign's ledger; the report keeps the public
face (location, photos, public state, timeline) and the item the loop (deadline, lights, notices)."""

from duban.campaigns.models.reports import (
    Follower,
    Report,
    ReportEvent,
    ReportPhoto,
    ReportQuerySet,
    ReportTally,
)
from duban.campaigns.models.reports import _new_token as _new_token  # named by the migrations
from duban.campaigns.models.setup import (
    AreaShape,
    Campaign,
    Category,
    CategoryQuerySet,
    Chief,
    Open311Client,
    RoutingRule,
    StrictZone,
)

__all__ = [
    "AreaShape",
    "Campaign",
    "Category",
    "CategoryQuerySet",
    "Chief",
    "Follower",
    "Open311Client",
    "Report",
    "ReportEvent",
    "ReportPhoto",
    "ReportQuerySet",
    "ReportTally",
    "RoutingRule",
    "StrictZone",
]
