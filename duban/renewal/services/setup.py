"""The bureau's administration: the procedure's settings and who holds which post, each change with
its history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.orgs.models import Person, User
from duban.renewal import access
from duban.renewal.models import BureauPost, RenewalSettings


def _require_admin(actor) -> None:
    if actor is not None and not access.administers(actor):
        raise PermissionDenied(_("Only the bureau head and the office administrators do this."))


@transaction.atomic
def settings_save(*, actor: User | None, **fields) -> RenewalSettings:
    _require_admin(actor)
    current = RenewalSettings.current()
    instance = RenewalSettings.objects.select_for_update().get(pk=current.pk) if current.pk else current
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    save_with_history(instance, actor=actor, reason="renewal.settings.saved")
    return instance


@transaction.atomic
def post_add(*, actor: User | None, person: Person, role: str) -> BureauPost:
    _require_admin(actor)
    if BureauPost.objects.filter(person=person, role=role).exists():
        raise ValidationError({"role": _("This person already holds this post.")})
    post = BureauPost(person=person, role=role)
    post.full_clean()
    save_with_history(post, actor=actor, reason="renewal.post.added")
    return post


@transaction.atomic
def post_remove(*, actor: User | None, post: BureauPost) -> None:
    _require_admin(actor)
    post._history_user = actor if getattr(actor, "is_authenticated", False) else None
    post._change_reason = "renewal.post.removed"
    post.delete()
