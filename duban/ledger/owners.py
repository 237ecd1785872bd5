"""The one contract between the ledger and the contexts whose subjects its items are about.

`Item.subject` is the only link from an item to what it is about. A context that attaches its
subjects to items declares one `SubjectOwner` per subject model, returned by its AppConfig's
`ledger_owners()` (the ledger discovers them as it discovers `sweep()`; it never imports a
context). Whatever the entry point — the item page, the API, an import, the sweep, year-end
carry-over — the ledger's services ask the subject's owner before they act on an owned item:

- `take(action, items, ...)` runs the owner's rule for an item action (a campaign item's 办结 is
  the report's "fixed", with its after-photo) and returns the items it left to the ledger; or it
  raises `OwnedItemRefused`, whose message links to the owner's page; `refuses(action, ...)` says
  so beforehand, without acting, so the item page shows no button for such a step;
- `check_update`, `check_extension` and `check_sub_item` refuse edits, extensions and sub-items
  the owner keeps to itself; `deadline_moved` follows an approved extension;
- `item_continued(old, new)` follows an item into next year's ledger;
- `disagreements(subject)` says where a subject and its items are out of step (empty when they
  agree); the suite's state-machine test drives every entry point and asks it after each step.

A context may also make its subjects from an office's imported ledger: its AppConfig's
`ledger_import_subjects()` returns {ledger kind: factory(job)}, whose `subject_of(spec)` gives the
row's spec back with its `subject` (an audit ledger's rows become audit findings) and records what
it made in `created`; `remove(created)` deletes that if the import is withdrawn, `summary(created)`
says it in words, and `values_of_many(ids)` gives the subjects' columns back for the export in the
office's layout (`model` names the subjects' model). A factory may also check rows before
anything is written: `row_checker(ledger)` gives a function `(spec, cell, error)` that reads the
row's own columns into the spec or reports an error naming the column (a campaign's category and
a place it can locate).

An owner's own services call the ledger with `owner_rule=True`: they have applied their rule and
checked who may act, and the ledger is not to ask them again. The person is recorded all the same.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core.errors import TransitionError


class OwnedItemRefused(TransitionError):
    """The item's subject keeps this action to its own page; `link` leads there."""

    def __init__(self, message: str, *, link: str = "", link_label: str = ""):
        super().__init__(message)
        self.link = link
        self.link_label = link_label


class SubjectOwner:
    """What a context declares about the items of one of its subject models: the model and the
    URL name of a subject's page. The defaults govern nothing: every item action is the ledger's."""

    model: type[models.Model]
    url_name: str

    def url(self, subject) -> str:
        """The subject's page, where what the owner keeps to itself is done."""
        return reverse(self.url_name, args=[subject.pk])

    def describe(self, subject) -> str:
        return f"{subject._meta.verbose_name} {subject}"

    def refuse(self, subject, message: str) -> OwnedItemRefused:
        return OwnedItemRefused(message, link=self.url(subject), link_label=self.describe(subject))

    def take(self, action: str, items: list, subjects: dict, *, actor, reason: str, at) -> list:
        """Run the owner's rule for `action` on these items (`subjects`: subject id → subject);
        return the items whose action the ledger is to apply itself. By default: what `refuses`
        refuses is refused, the rest is the ledger's."""
        for item in items:
            if refusal := self.refuses(action, subjects[item.subject_id], item):
                raise refusal
        return items

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        """The refusal `take` would raise for `action` on this item now, without acting: the item
        page shows no button for a step the subject keeps to its own page."""
        return None

    def check_update(self, subject, item, changes: dict) -> None:
        """Refuse (raise OwnedItemRefused) a change of an owned item's details the owner keeps."""

    def check_extension(self, subject, item, new_deadline: dt.date) -> None:
        """Refuse an extension the owner decides in its own way."""

    def check_sub_item(self, subject, parent) -> None:
        """Refuse a sub-item added to an owned item from outside the owner."""

    def deadline_moved(self, subject, item) -> None:
        """An approved extension moved the item's deadline."""

    def item_continued(self, subject, old, new) -> None:
        """Year-end carry-over ended `old` and continues it as `new` in next year's ledger."""

    def disagreements(self, subject) -> list[str]:
        """Where the subject and its items are out of step; empty when they agree."""
        return []


@functools.cache
def _registry() -> dict[type, SubjectOwner]:
    found: dict[type, SubjectOwner] = {}
    for config in apps.get_app_configs():
        for owner in getattr(config, "ledger_owners", list)():
            found[owner.model] = owner
    return found


@functools.cache
def _import_registry() -> dict[str, object]:
    found: dict[str, object] = {}
    for config in apps.get_app_configs():
        found.update(getattr(config, "ledger_import_subjects", dict)())
    return found


def import_subjects(job):
    """What makes the subjects of an import's rows, for its ledger's kind (None: rows stay items)."""
    factory = _import_registry().get(job.ledger.kind)
    return factory(job) if factory is not None else None


def import_row_checker(ledger):
    """The owning context's check of each row of an import into `ledger` (None: nothing to check)."""
    factory = _import_registry().get(ledger.kind)
    row_checker = getattr(factory, "row_checker", None)
    return row_checker(ledger) if row_checker is not None else None


def imported_subjects_remove(job) -> None:
    """Remove what the owning context made of a withdrawn import's rows (`created_subjects`)."""
    factory = _import_registry().get(job.ledger.kind)
    if factory is not None and job.created_subjects:
        factory.remove(job.created_subjects)


def imported_subjects_summary(job) -> list[str]:
    """What the owning context made of the import's rows, in words ("3 problem reports")."""
    factory = _import_registry().get(job.ledger.kind)
    if factory is None or not job.created_subjects:
        return []
    return factory.summary(job.created_subjects)


def imported_subject_values(kind: str, items) -> dict[int, dict]:
    """What a row of the office's own layout shows of each item's subject, by item id, read in one
    query for the lot (items without such a subject are left out)."""
    factory = _import_registry().get(kind)
    if factory is None:
        return {}
    content_type = ContentType.objects.get_for_model(factory.model)
    owned = {item.pk: item.subject_id for item in items if item.subject_type_id == content_type.pk}
    values = factory.values_of_many(set(owned.values()))
    return {pk: values[subject_id] for pk, subject_id in owned.items() if subject_id in values}


def owners() -> list[SubjectOwner]:
    return list(_registry().values())


def owner_of_model(model) -> SubjectOwner | None:
    return _registry().get(model)


def owner_of(item) -> SubjectOwner | None:
    if item.subject_type_id is None:
        return None
    return owner_of_model(ContentType.objects.get_for_id(item.subject_type_id).model_class())


def owned(item) -> tuple[SubjectOwner, models.Model] | None:
    """(owner, subject) of an owned item; None when no context owns its subject."""
    owner = owner_of(item)
    if owner is None:
        return None
    return owner, owner.model._default_manager.get(pk=item.subject_id)


def by_owner(items) -> list[tuple[SubjectOwner, list, dict]]:
    """The owned ones of `items`, grouped by owner, each with its subjects (read once per type)."""
    groups: dict[int, list] = defaultdict(list)
    for item in items:
        if item.subject_type_id is not None:
            groups[item.subject_type_id].append(item)
    found = []
    for type_id, owned in groups.items():
        owner = owner_of_model(ContentType.objects.get_for_id(type_id).model_class())
        if owner is not None:
            subjects = owner.model._default_manager.in_bulk({item.subject_id for item in owned})
            found.append((owner, owned, subjects))
    return found


def subject_link(item) -> tuple[str, str] | None:
    """(url, description) of the owned item's subject, for the item page."""
    found = owned(item)
    return None if found is None else (found[0].url(found[1]), found[0].describe(found[1]))


def refused_elsewhere(owner: SubjectOwner, subject, what: str) -> OwnedItemRefused:
    """The common refusal: `what` is done on the subject's own page."""
    message = _("This item belongs to %(subject)s: %(what)s on its page.")
    return owner.refuse(subject, message % {"subject": owner.describe(subject), "what": what})
