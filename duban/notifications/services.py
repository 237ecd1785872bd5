"""Delivering notices beyond the inbox, as each person chose: every notice by each chosen channel is
a `Delivery`, sent once (claimed by a conditional update, so two workers never both send it), tried
again after a growing pause when the channel fails, and failed after MAX_ATTEMPTS; every try is an
`Attempt` saying what happened. Notices in a person's quiet hours wait for their end; email a person
takes as a digest waits for their digest hour. The moves are DELIVERY_MOVES."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.core import background
from duban.ledger.models import Notification
from duban.notifications import channels
from duban.notifications.choices import DELIVERY_MOVES, Channel, DeliveryState, EmailMode
from duban.notifications.models import Attempt, Delivery, Preference

MAX_ATTEMPTS = 5
PAUSES = [60, 300, 1800, 7200]  # seconds before the second, third, … try
DUE_BATCH = 200  # deliveries per task when the workers catch up
S = DeliveryState


# --- preferences -----------------------------------------------------------------------------


def preference_of(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def preference_save(*, actor, user, data: dict) -> Preference:
    """A person sets their own channels and quiet hours; refused with the reason when it cannot work."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("Only the person themselves chooses how they are notified."))
    errors = {}
    mailing = Channel.EMAIL in channels.available()
    if (
        mailing
        and data.get("email", EmailMode.OFF) != EmailMode.OFF
        and not channels.channel(Channel.EMAIL).address(user)
    ):
        errors["email"] = _("Your account has no email address; ask the administrator to add one.")
    for name in (Channel.SMS, Channel.WORKAPP):
        if data.get(name) and not channels.channel(name).address(user):
            errors[name] = _("Your record has no mobile phone number; ask the administrator to add one.")
    if bool(data.get("quiet_from")) != bool(data.get("quiet_until")):
        errors["quiet_until"] = _("Give both ends of the quiet hours, or neither.")
    elif data.get("quiet_from") and data["quiet_from"] == data["quiet_until"]:
        errors["quiet_until"] = _("The quiet hours end when they begin; leave both empty for none.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
        for name in ("email", "sms", "workapp", "quiet_from", "quiet_until", "digest_at"):
            if name in data:
                setattr(preference, name, data[name])
        preference.save()
    return preference


def chosen(preference: Preference) -> list[str]:
    found = [Channel.EMAIL] if preference.email != EmailMode.OFF else []
    return found + [name for name in (Channel.SMS, Channel.WORKAPP) if getattr(preference, name)]


def after_quiet(preference: Preference, moment: dt.datetime) -> dt.datetime:
    """`moment`, or the end of the person's quiet hours when it falls inside them (local time)."""
    start, end = preference.quiet_from, preference.quiet_until
    if not start or not end:
        return moment
    local = timezone.localtime(moment)
    now = local.time()
    inside = start <= now < end if start < end else (now >= start or now < end)
    if not inside:
        return moment
    day = local.date() if now < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end))


# --- planning and sending --------------------------------------------------------------------


def plan(notifications: list[Notification], now: dt.datetime | None = None) -> list[int]:
    """A delivery for each notice by each channel its person chose (and this site has); the ids
    of those due at once."""
    now = now or timezone.now()
    usable = set(channels.available())
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in={n.user_id for n in notifications})}
    rows = []
    for notification in notifications:
        preference = preferences.get(notification.user_id) or Preference(user_id=notification.user_id)
        for name in chosen(preference):
            if name not in usable:
                continue
            state = S.WAITING if name == Channel.EMAIL and preference.email == EmailMode.DIGEST else S.QUEUED
            due = after_quiet(preference, now)
            rows.append(Delivery(notification=notification, user_id=notification.user_id, channel=name, state=state,
                                 due_at=due))  # fmt: skip
    Delivery.objects.bulk_create(rows)
    return [row.pk for row in rows if row.state == S.QUEUED and row.due_at <= now]


def dispatch(notifications: list[Notification]) -> None:
    """Plan the notices' deliveries and send those due: on the workers, or right here (embedded)."""
    due = plan(notifications)
    if due:
        background.run("duban.notifications.tasks.deliver", due, embedded=lambda: deliver(due))


def deliver(ids: list[int], now: dt.datetime | None = None) -> int:
    """Send each of the deliveries still to be sent and due; how many went."""
    now = now or timezone.now()
    sent = 0
    found = Delivery.objects.filter(pk__in=ids, state=S.QUEUED, due_at__lte=now)
    for delivery in found.select_related("notification", "user__person").order_by("pk"):
        if _claim(delivery, now):
            sent += _send(delivery, now)
    return sent


def due_ids(now: dt.datetime | None = None, limit: int = 10_000) -> list[int]:
    found = Delivery.objects.filter(state=S.QUEUED, due_at__lte=now or timezone.now()).order_by("due_at", "pk")
    return list(found.values_list("pk", flat=True)[:limit])


def deliver_due(now: dt.datetime | None = None) -> int:
    """Every delivery whose time has come (retries, the end of quiet hours), in this process."""
    return deliver(due_ids(now), now)


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    step = DELIVERY_MOVES.check(delivery.state, "send")
    claimed = Delivery.objects.filter(pk=delivery.pk, state__in=step.sources).update(
        state=step.target, claimed_at=now, attempts=F("attempts") + 1
    )
    delivery.attempts += 1
    delivery.state = step.target if claimed else delivery.state
    return bool(claimed)


def _finish(delivery: Delivery, code: str, detail: str, now: dt.datetime, **fields) -> None:
    """Move a delivery being sent (DELIVERY_MOVES) and record the try, in one transaction."""
    step = DELIVERY_MOVES.check(delivery.state, code)
    with transaction.atomic():
        moved = Delivery.objects.filter(pk=delivery.pk, state__in=step.sources).update(state=step.target, **fields)
        if moved:
            Attempt.objects.create(delivery_id=delivery.pk, at=now, ok=code == "sent", detail=detail[:300])
    delivery.state = step.target


def _masked(address: str) -> str:
    if "@" in address:
        name, _at, host = address.partition("@")
        return f"{name[:1]}***@{host}"
    return f"{address[:3]}****{address[-4:]}" if len(address) >= 7 else "****"


def _link(notification: Notification) -> str:
    item = notification.item_id
    path = notification.link or (reverse("ledger:item_detail", args=[item]) if item else "")
    return f"{settings.DUBAN_SITE_URL.rstrip('/')}{path}" if path and settings.DUBAN_SITE_URL else ""


def _text(notification: Notification) -> str:
    link = _link(notification)
    return f"{notification.text}\n{link}" if link else notification.text


def _subject(text: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Supervision platform: %(text)s") % {"text": text[:60]}


def _send(delivery: Delivery, now: dt.datetime) -> bool:
    channel = channels.channel(delivery.channel)
    address = channel.address(delivery.user)
    try:
        if not address:
            with translation.override(settings.LANGUAGE_CODE):
                raise channels.ChannelError(_("No address for this channel in the person's record."))
        channel.send(address, _subject(delivery.notification.text), _text(delivery.notification))
    except channels.ChannelError as error:
        _failed(delivery, str(error), now, final=not address)
        return False
    _finish(delivery, "sent", f"sent to {_masked(address)}", now, sent_at=now, last_error="")
    return True


def _failed(delivery: Delivery, why: str, now: dt.datetime, *, final: bool = False, back: str = "retry") -> None:
    if final or delivery.attempts >= MAX_ATTEMPTS:
        _finish(delivery, "fail", why, now, last_error=why[:300])
    else:
        pause = PAUSES[min(delivery.attempts, len(PAUSES)) - 1]
        _finish(delivery, back, why, now, last_error=why[:300], due_at=now + dt.timedelta(seconds=pause))


# --- digests and recovery --------------------------------------------------------------------


def digests_send(now: dt.datetime | None = None) -> int:
    """One email a day to each person who takes email as a digest, at their hour, with every notice
    since the last one; how many digests went."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    waiting = Delivery.objects.filter(state=S.WAITING, channel=Channel.EMAIL)
    sent = 0
    for preference in Preference.objects.filter(user_id__in=waiting.values("user_id")).select_related("user"):
        if local.time() < preference.digest_at or preference.digest_sent_on == local.date():
            continue
        if after_quiet(preference, now) != now:
            continue
        taken = Preference.objects.filter(pk=preference.pk).exclude(digest_sent_on=local.date())
        if not taken.update(digest_sent_on=local.date()):  # another worker is sending it
            continue
        sent += _send_digest(preference, list(waiting.filter(user_id=preference.user_id).select_related(
            "notification").order_by("pk")), now)  # fmt: skip
    return sent


def _send_digest(preference: Preference, deliveries: list[Delivery], now: dt.datetime) -> int:
    deliveries = [d for d in deliveries if _claim(d, now)]
    if not deliveries:
        return 0
    channel = channels.channel(Channel.EMAIL)
    address = channel.address(preference.user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Supervision platform: %(n)s notices since the last digest") % {"n": len(deliveries)}
        body = "\n\n".join(_text(d.notification) for d in deliveries)
    try:
        if not address:
            raise channels.ChannelError("No address for this channel in the person's record.")
        channel.send(address, subject, body)
    except channels.ChannelError as error:
        Preference.objects.filter(pk=preference.pk).update(digest_sent_on=None)  # the next run tries again
        for delivery in deliveries:
            _failed(delivery, str(error), now, final=not address, back="again")
        return 0
    day = timezone.localdate(now).isoformat()
    for delivery in deliveries:
        _finish(delivery, "sent", f"in the digest of {day} to {_masked(address)}", now, sent_at=now, last_error="")
    return 1


def deliveries_recover(now: dt.datetime | None = None) -> int:
    """Deliveries a stopped worker left sending (claimed, never finished): back to be sent (a digest's
    to the digest). The channel may have taken it already; a notice twice beats a notice lost."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.DUBAN_STALLED_AFTER_SECONDS)
    resumed = 0
    for delivery in Delivery.objects.filter(state=S.SENDING, claimed_at__lt=cutoff).select_related("user"):
        back = "again" if _digest_taker(delivery) else "retry"
        _finish(delivery, back, "the sender stopped before it finished; sent again", now, due_at=now)
        resumed += 1
    return resumed


def _digest_taker(delivery: Delivery) -> bool:
    return delivery.channel == Channel.EMAIL and preference_of(delivery.user).email == EmailMode.DIGEST
