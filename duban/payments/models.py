"""The treasury payment centre: its settings and posts, document types and each request type's
checklist, funds (budget indicators) and the green list, payment requests with their documents,
the documents accepted as missing (容缺), suspensions of a unit's green channel and the credit
record of broken commitments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from duban.core.models import BaseModel, OneRow, StepEvent
from duban.orgs.models import Person, Unit
from duban.payments.choices import (
    HOLDS_INVOICE,
    IN_CENTRE,
    OPEN_GAPS,
    CentreRole,
    Channel,
    GapState,
    RequestState,
    SupplyForm,
    SuspensionEnd,
)

USER = settings.AUTH_USER_MODEL
CENT = Decimal("0.01")


class CentreSettings(OneRow, BaseModel):
    """One row: the centre's unit and the time limits it commits to, in working days."""

    centre = models.ForeignKey(
        Unit, verbose_name=_("treasury payment centre"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    green_working_days = models.PositiveSmallIntegerField(
        _("green channel: working days to pay"), default=1, validators=[MaxValueValidator(1)],
        help_text=_("0: the same working day; 1: the next working day."),
    )  # fmt: skip
    normal_working_days = models.PositiveSmallIntegerField(
        _("normal channel: working days to pay"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    suspend_after_working_days = models.PositiveSmallIntegerField(
        _("suspend the green channel after overdue (working days)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre settings")
        verbose_name_plural = _("centre settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class CentrePost(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("post"), max_length=10, choices=CentreRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre post")
        verbose_name_plural = _("centre posts")
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="payments_post_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()}"


class DocumentType(BaseModel):
    """A kind of document a request carries. Key documents (the budget indicator, the approval, the
    payee's account) are never accepted as missing."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    key = models.BooleanField(_("key document (never accepted as missing)"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class RequestType(BaseModel):
    """A kind of payment (工程款, 补助资金发放 …) with its checklist of documents."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    documents = models.ManyToManyField(DocumentType, verbose_name=_("checklist"), related_name="request_types")
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        verbose_name = _("request type")
        verbose_name_plural = _("request types")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Fund(BaseModel):
    """A budget indicator (指标文号) a unit pays from; livelihood funds on the green list may use
    the green channel."""

    number = models.CharField(_("budget indicator number"), max_length=60, unique=True)
    name = models.CharField(_("fund"), max_length=120)
    unit = models.ForeignKey(Unit, verbose_name=_("budget unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("indicator amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    livelihood = models.BooleanField(_("special fund for people's livelihood"), default=False)
    green = models.BooleanField(_("on the green list"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-year", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(green=False) | Q(livelihood=True),
                name="payments_green_fund_is_livelihood",
                violation_error_message=_("Only special funds for people's livelihood go on the green list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"


class GreenUnit(BaseModel):
    """A unit on the green list: its livelihood funds on the list may use the green channel."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit on the green list")
        verbose_name_plural = _("units on the green list")

    def __str__(self) -> str:
        return str(self.unit)


def year_span(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The local year as [start, end) moments."""
    zone = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def paid_in(year: int) -> Q:
    """Requests recorded as paid in `year` (local time)."""
    start, end = year_span(year)
    return Q(state=RequestState.PAID, paid_at__gte=start, paid_at__lt=end)


def at_centre() -> Q:
    """Requests the centre is working on now: submitted and neither paid nor ended."""
    return Q(state__in=IN_CENTRE)


def with_overdue_gaps() -> Q:
    """Requests with a document to follow (容缺) past its date of supply."""
    return Q(pk__in=Gap.objects.filter(state=GapState.OVERDUE).values("request_id"))


class PaymentRequestQuerySet(models.QuerySet):
    def holding_invoice(self, fund, invoice_ref: str):
        return self.filter(fund=fund, invoice_ref=invoice_ref, state__in=HOLDS_INVOICE)


class PaymentRequest(BaseModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("requesting unit"), on_delete=models.PROTECT, related_name="+")
    preparer = models.ForeignKey(USER, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+")
    request_type = models.ForeignKey(
        RequestType, verbose_name=_("request type"), on_delete=models.PROTECT, related_name="requests"
    )
    project = models.CharField(_("project"), max_length=200)
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="requests")
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    payee_name = models.CharField(_("payee"), max_length=120)
    payee_account = models.CharField(_("payee's account number"), max_length=34)
    payee_bank = models.CharField(_("payee's bank"), max_length=120)
    contract_ref = models.CharField(_("contract number"), max_length=60, blank=True)
    invoice_ref = models.CharField(_("invoice number"), max_length=60, blank=True)
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices, default=Channel.NORMAL)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    due_on = models.DateField(_("to be paid by"), null=True, blank=True)  # the service-level deadline
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        USER, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("recorded as paid at"), null=True, blank=True)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    voucher = models.CharField(_("voucher number"), max_length=40, blank=True)
    # 容缺受理: the commitment letter the unit's responsible person signed, and the notice issued
    committed_by = models.ForeignKey(
        USER, verbose_name=_("commitment signed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    committed_at = models.DateTimeField(_("commitment signed at"), null=True, blank=True)
    sealed = models.BooleanField(_("unit seal applied"), default=False)
    notice_number = models.CharField(_("notice number"), max_length=40, blank=True)
    objects = PaymentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["state", "channel"], name="payments_req_state"),
            models.Index(fields=["unit", "state"], name="payments_req_unit"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "invoice_ref"],
                condition=~Q(invoice_ref="") & Q(state__in=sorted(HOLDS_INVOICE)),
                name="payments_invoice_once_per_fund",
                violation_error_message=_("This invoice is already on another payment request of the fund."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payments_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def with_gaps(self) -> bool:
        return bool(self.notice_number)

    def elapsed_days(self) -> float | None:
        """Days from submission to the payment's recording, to the hour."""
        if self.paid_at is None or self.submitted_at is None:
            return None
        return round((self.paid_at - self.submitted_at).total_seconds() / 86400, 1)

    def elapsed_hours(self) -> float | None:
        if self.paid_at is None or self.submitted_at is None:
            return None
        return round((self.paid_at - self.submitted_at).total_seconds() / 3600, 1)

    def late(self) -> bool:
        if self.due_on is None:
            return False
        if self.paid_at is not None:
            return timezone.localtime(self.paid_at).date() > self.due_on
        return self.state in IN_CENTRE and timezone.localdate() > self.due_on


def document_path(instance, filename: str) -> str:
    return f"payments/{timezone.localdate():%Y/%m}/{filename}"


class RequestDocument(BaseModel):
    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=document_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gap = models.ForeignKey(
        "Gap", verbose_name=_("supplies"), null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["document_type__sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class GapQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_GAPS)


class Gap(BaseModel):
    """A secondary document accepted as missing (容缺事项), to be supplied by `due_on`."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="gaps")
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    supply_form = models.CharField(
        _("form of supply"), max_length=10, choices=SupplyForm.choices, default=SupplyForm.ONLINE
    )
    due_on = models.DateField(_("to be supplied by"))
    state = models.CharField(_("state"), max_length=10, choices=GapState.choices, default=GapState.PENDING)
    supplied_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    committed = models.BooleanField(default=False)  # the unit signed for it: it is an item being chased
    objects = GapQuerySet.as_manager()

    class Meta:
        verbose_name = _("missing document")
        verbose_name_plural = _("missing documents")
        ordering = ["request", "document_type__sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.request.number} {self.document_type}"

    @property
    def on_time(self) -> bool | None:
        if self.supplied_at is None:
            return None
        return timezone.localtime(self.supplied_at).date() <= self.due_on


class RequestEvent(StepEvent):
    """Append-only: one row per step of a request and of its missing documents."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="events")
    gap = models.ForeignKey(Gap, null=True, blank=True, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.request_id} {self.code}"


class SuspensionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Suspension(BaseModel):
    """A unit's green channel suspended while a supplement stays overdue (暂停绿色通道)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("suspended at"))
    reason = models.CharField(_("reason"), max_length=300)
    ended_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    ended_how = models.CharField(_("restored because"), max_length=10, choices=SuspensionEnd.choices, blank=True)
    ended_by = models.ForeignKey(
        USER, verbose_name=_("lifted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(_("why lifted"), max_length=300, blank=True)
    gap_ids = models.JSONField(default=list)  # the overdue documents that caused it
    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("green channel suspension")
        verbose_name_plural = _("green channel suspensions")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(ended_at__isnull=True), name="payments_one_open_suspension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.started_at:%Y-%m-%d}"


class CreditRecord(BaseModel):
    """A broken commitment recorded against the unit (失信记录): a supplement not made in time."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    gap = models.OneToOneField(Gap, verbose_name=_("missing document"), on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("broken commitment")
        verbose_name_plural = _("broken commitments")
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.recorded_on}"
