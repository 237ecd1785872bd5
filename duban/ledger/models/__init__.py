"""The closed-loop ledger: ledgers, items and everything that happens to an item."""

# isort: off
# In definition order: Django registers the models in the order they are imported.
from duban.ledger.models.ledgers import Ledger
from duban.ledger.models.items import Item, ItemCoUnit, ItemQuerySet
from duban.ledger.models.events import (
    Attachment,
    CountKey,
    ItemCount,
    ItemCountDelta,
    ItemEvent,
    ItemEventQuerySet,
    ProgressReport,
)
from duban.ledger.models.supervision import (
    ExtensionRequest,
    Follow,
    Instruction,
    InterviewRecord,
    LightRecord,
    Notice,
    NoticeQuerySet,
    Notification,
)
from duban.ledger.models.runs import ImportedDoneAs, ImportJob, ImportMapping, ImportState, SweepPart, SweepRun

# isort: on
# The migrations name these callables by their path in this package.
from duban.ledger.models.events import attachment_path as attachment_path
from duban.ledger.models.ledgers import _default_escalation_policy as _default_escalation_policy
from duban.ledger.models.ledgers import _default_light_policy as _default_light_policy
from duban.ledger.models.ledgers import _default_scoring_scheme as _default_scoring_scheme

__all__ = [
    "Attachment",
    "CountKey",
    "ExtensionRequest",
    "Follow",
    "ImportedDoneAs",
    "ImportJob",
    "ImportMapping",
    "ImportState",
    "Instruction",
    "InterviewRecord",
    "Item",
    "ItemCoUnit",
    "ItemCount",
    "ItemCountDelta",
    "ItemEvent",
    "ItemEventQuerySet",
    "ItemQuerySet",
    "Ledger",
    "LightRecord",
    "Notice",
    "NoticeQuerySet",
    "Notification",
    "ProgressReport",
    "SweepPart",
    "SweepRun",
]
