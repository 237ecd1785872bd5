"""The in-app inbox, and through it every channel a person chose (duban.notifications). Called through
transaction.on_commit only, never inside a write."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from duban.ledger.models import Item, Notification
from duban.orgs.choices import PositionRole
from duban.orgs.models import Position, Unit, User


def unit_users(unit: Unit) -> list[User]:
    """The active logins of everyone currently posted to the unit as an official (a post at an
    external body opens no ledger item, so it brings no notices about them)."""
    return list(
        User.objects.filter(
            is_active=True,
            person__positions__in=Position.objects.official().filter(unit=unit),
        ).distinct()
    )


def unit_heads(unit: Unit) -> list[User]:
    """The active logins of the unit's heads (who approve for it)."""
    posts = Position.objects.official().filter(unit=unit, role=PositionRole.HEAD)
    return list(User.objects.filter(is_active=True, person__positions__in=posts).distinct())


def body_users(unit: Unit) -> list[User]:
    """The active logins of everyone currently posted to the unit, an external body included (a
    contractor answering its own ratings)."""
    posts = Position.objects.current().filter(unit=unit)
    return list(User.objects.filter(is_active=True, person__positions__in=posts).distinct())


def users_of_units(units: list[Unit]) -> dict[int, list[User]]:
    """`unit_users` for several units in one query."""
    positions = Position.objects.official().filter(unit__in=units, person__user__is_active=True)
    found: dict[int, dict[int, User]] = {unit.pk: {} for unit in units}
    for position in positions.select_related("person__user"):
        found[position.unit_id][position.person.user.pk] = position.person.user
    return {unit_id: list(users.values()) for unit_id, users in found.items()}


def _deliver(user_ids: list[int], item_id: int | None, kind: str, text: str, link: str = "") -> None:
    """The inbox entries, then each person's other channels (duban.notifications: mail, text
    message, the work app, as they chose)."""
    from duban.notifications.services import dispatch

    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    made = Notification.objects.bulk_create(
        [Notification(user=user, item_id=item_id, kind=kind, text=text[:300], link=link) for user in users]
    )
    dispatch(made)


def after_commit(
    users, item: Item | None, kind: str, text, link: str = "", *, params: dict | None = None, actor=None
) -> None:
    """Queue inbox entries (and mail) for `users` but not `actor` (nobody is told of their own
    step); they are written once the caller commits. `text` (lazy) is filled with `params` in the
    district's language, whoever's browser the step came from. `link` is where the entry leads when
    it is not about a ledger item (a public report page)."""
    user_ids = sorted({user.pk for user in users} - {getattr(actor, "pk", None)})
    if not user_ids:
        return
    with translation.override(settings.LANGUAGE_CODE):
        rendered = str(text) % params if params else str(text)
    item_id = item.pk if item else None
    transaction.on_commit(lambda: _deliver(user_ids, item_id, kind, rendered, link))
