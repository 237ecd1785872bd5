from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from duban.core import search
from duban.core.text import clean_instance


class ChoiceLabels:
    """`get_FOO_display()` by one dictionary look-up. Django's rebuilds the field's choices into a
    dictionary on every call, hashing every label, and hashing a lazy label translates it: a list of
    fifty rules showing their kind and status translated eight hundred labels, half the page's time
    (docs/performance.md)."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels_of(field).get(make_hashable(value), value), strings_only=True)


def _labels_of(field) -> dict:
    """The field's choices by value, built once; the labels stay lazy, translated when shown."""
    labels = field.__dict__.get("_labels_by_value")
    if labels is None:
        labels = {make_hashable(value): label for value, label in field.flatchoices}
        field.__dict__["_labels_by_value"] = labels
    return labels


class BaseModel(ChoiceLabels, models.Model):
    """Abstract base: creation and update times on every row."""

    # A default rather than auto_now_add, so that services can date rows they write for another
    # instant (the demo's generated history); nothing else sets it.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        # Text is checked (a unique name, a length) as it will be stored: without what XML 1.0
        # forbids, which pre_save would strip anyway (duban.core.text).
        clean_instance(self)
        super().clean_fields(exclude=exclude)


class SearchQuerySet(models.QuerySet):
    """The search of a `SearchableModel` (`duban.core.search`)."""

    def search(self, query: str):
        """The rows whose searched fields contain `query`."""
        return self.filter(self.model.matching(query))

    def listed(self, query: str, order, exact=(), also=None):
        """These rows (every other filter applied) containing `query`, in `order`, and the walk that
        finds a page when many match (`search.listed`, for `CappedPaginator(walk=)`)."""
        return search.listed(self, query, self.model.SEARCHED_FIELDS, order, exact, also)


class SearchableModel(models.Model):
    """A row found by a substring of its SEARCHED_FIELDS, through the tokens it keeps of them
    (`duban.core.search`; a migration adds them with `search.searchable_operations`). Long texts keep
    characters and pairs (GRAM_LENGTH 2); short ones triples too, to narrow a million rows. A list of
    long texts reads none of its first rows to tell a broad query (SAMPLED_ROWS 0, `search.sampled_rows`)."""

    SEARCHED_FIELDS: list[str] = []
    GRAM_LENGTH = 3
    SAMPLED_ROWS = search.WALK_FIRST

    search_tokens = models.TextField(default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or set(update_fields) & set(self.SEARCHED_FIELDS):
            self.refresh_search_tokens()
            update_fields = None if update_fields is None else {*update_fields, "search_tokens"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @classmethod
    def matching(cls, query: str) -> models.Q:
        return search.matches(cls, query, cls.SEARCHED_FIELDS)

    def refresh_search_tokens(self) -> None:
        """Kept by `save()`; bulk writers call it themselves."""
        texts = (getattr(self, name) for name in self.SEARCHED_FIELDS)
        self.search_tokens = search.tokens(*texts, longest=self.GRAM_LENGTH)


class OneRow:
    """A model of one row (a context's settings): `current()` is that row, or an unsaved default."""

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()


class StepEvent(models.Model):
    """Abstract: the append-only event row of a context's records, one per step (who, when, from
    which state to which, why, and what else the step recorded)."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    code = models.CharField(max_length=60)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @classmethod
    def write(cls, *, actor, code: str, at, before: str = "", after: str = "", reason: str = "", data=None, **links):
        """One event row; `links` name the record(s) it belongs to (`booking=…`); a system step
        (no signed-in person) has no actor."""
        return cls.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None, code=code, at=at,
            from_state=before, to_state=after, reason=reason[:500], data=data or {}, **links,
        )  # fmt: skip


class WorkdayOverride(BaseModel):
    """A date whose working-day status the office sets by hand, over the published calendar."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self) -> str:
        return f"{self.date}: {'workday' if self.is_workday else 'day off'}"


class Sequence(models.Model):
    """A named counter for official numbers (`罗审整〔2024〕012号`); incremented under a row lock."""

    key = models.CharField(max_length=120, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class JobProgress(models.Model):
    """How far a long job has got (an import, a sweep's part), written from outside the job's own
    transaction so that any host can show it while it runs (`duban.core.progress`)."""

    key = models.CharField(max_length=80, unique=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.done}/{self.total}"
