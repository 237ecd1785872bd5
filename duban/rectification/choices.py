from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditType(models.TextChoices):
    BUDGET = "budget", _("Budget execution audit")
    ECONOMIC = "economic", _("Economic responsibility audit")
    SPECIAL = "special", _("Special audit")
    INTERNAL = "internal", _("Internal audit")


class FindingType(models.TextChoices):
    VIOLATION = "violation", _("Breach of rules")
    MANAGEMENT = "management", _("Weak management")
    PERFORMANCE = "performance", _("Poor performance")
    CONTROL = "control", _("Internal control gap")


class FindingStatus(models.TextChoices):
    """Derived at year end from the finding's ledger items, never stored."""

    NOT_OPENED = "not_opened", _("No ledger item yet")
    RECTIFIED = "rectified", _("Rectified")
    ONGOING = "ongoing", _("Rectification ongoing")
    NOT_RECTIFIED = "not_rectified", _("Not rectified (overdue)")
