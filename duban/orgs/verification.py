"""Residents prove they control a phone number or email address with a one-time code.

The code is sent after the transaction commits by the sender named in `DUBAN_CODE_SENDER`: the
console sender (the demo) writes it to the log; production plugs in an SMS gateway or mail.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duban.core import throttle
from duban.core.history import save_with_history
from duban.orgs.choices import AccountType
from duban.orgs.models import User, VerificationCode

logger = logging.getLogger(__name__)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
MAX_PER_HOUR = 5
# Codes one client address may ask for, whatever the destinations: (window in seconds, how many).
CLIENT_LIMITS = ((60, 3), (3600, 10))


class ConsoleCodeSender:
    """Writes the code to the log; for the demo and development."""

    def send(self, destination: str, code: str) -> None:
        logger.warning("Verification code for %s: %s", destination, code)


class EmailCodeSender(ConsoleCodeSender):
    """Mails codes to email addresses; phone numbers still need an SMS sender, so they are logged."""

    def send(self, destination: str, code: str) -> None:
        if "@" not in destination:
            super().send(destination, code)
            return
        send_mail(
            subject=_("Your verification code"),
            message=_("Your verification code is %(code)s. It is valid for %(minutes)d minutes.")
            % {"code": code, "minutes": settings.DUBAN_CODE_TTL_MINUTES},
            from_email=None,
            recipient_list=[destination],
        )


def normalise_destination(raw: str) -> str:
    """A mainland mobile number (digits only) or a lower-cased email address; ValidationError otherwise."""
    value = (raw or "").strip()
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    if MOBILE_RE.match(digits):
        return digits
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            {"destination": _("Enter a mainland mobile number (11 digits) or an email address.")}
        ) from None
    return value.lower()


def verification_request(*, destination: str, client: str) -> None:
    """Send a code to `destination`, asked for by `client` (its address, `throttle.client_address`):
    one a minute and five an hour per destination, and a few per client whatever the destination,
    so no one can make the platform text a list of numbers."""
    destination = normalise_destination(destination)
    counted = [throttle.allow(f"codes:{client}:{span}", limit, span) for span, limit in CLIENT_LIMITS]
    if not all(counted):
        raise ValidationError(_("Too many codes were requested from this connection. Try again later."))
    _check_frequency(destination, timezone.now(), lock=False)  # refuse before paying for a hash
    code = f"{secrets.randbelow(1_000_000):06d}"
    # Hashing takes a good part of a second by design: it happens before the transaction, which on
    # SQLite holds the database's only write lock from its first statement.
    code_hash = make_password(code)
    with transaction.atomic():
        now = timezone.now()
        _check_frequency(destination, now, lock=True)
        VerificationCode.objects.create(
            destination=destination,
            code_hash=code_hash,
            expires_at=now + timedelta(minutes=settings.DUBAN_CODE_TTL_MINUTES),
        )
        sender = import_string(settings.DUBAN_CODE_SENDER)()
        transaction.on_commit(lambda: sender.send(destination, code))


def _check_frequency(destination: str, now, *, lock: bool) -> None:
    recent = VerificationCode.objects.filter(destination=destination, created_at__gte=now - timedelta(hours=1))
    if lock:
        recent = recent.select_for_update()
    if recent.filter(created_at__gte=now - RESEND_AFTER).exists():
        raise ValidationError(_("A code was sent less than a minute ago. Please wait before asking again."))
    if recent.count() >= MAX_PER_HOUR:
        raise ValidationError(_("Too many codes were requested for this address. Try again in an hour."))


def _wrong_code_error() -> ValidationError:
    return ValidationError({"code": _("The code is wrong or has expired. Request a new one.")})


def verification_confirm(*, destination: str, code: str) -> User:
    """Check the code; return the resident's account, creating it on first use."""
    destination = normalise_destination(destination)
    now = timezone.now()
    live = VerificationCode.objects.filter(
        destination=destination, used_at__isnull=True, expires_at__gt=now, attempts__lt=MAX_ATTEMPTS
    )
    pending = live.order_by("-created_at").only("pk", "code_hash").first()
    if pending is None:
        raise _wrong_code_error()
    # Each check spends one attempt first, in one statement of its own: guesses sent together
    # cannot share an attempt, and the hashing below holds no lock (it takes a good part of a
    # second by design; inside a transaction it would hold SQLite's only write lock that long).
    if not live.filter(pk=pending.pk).update(attempts=F("attempts") + 1, updated_at=now):
        raise _wrong_code_error()
    if not check_password((code or "").strip(), pending.code_hash):
        raise _wrong_code_error()
    with transaction.atomic():
        if not VerificationCode.objects.filter(pk=pending.pk, used_at__isnull=True).update(used_at=now, updated_at=now):
            raise _wrong_code_error()  # used by a request a moment earlier
        return resident_account_verified(destination=destination, at=now)


@transaction.atomic
def resident_account_verified(*, destination: str, at=None) -> User:
    """The resident account for a destination whose control was just proven; created on first use."""
    destination = normalise_destination(destination)
    now = at or timezone.now()
    is_phone = "@" not in destination
    lookup = {"phone": destination} if is_phone else {"email": destination}
    user = User.objects.select_for_update().filter(**lookup).first()
    if user is not None and user.account_type != AccountType.RESIDENT:
        # A code must never open an official's account, which needs its password.
        raise ValidationError(
            {"destination": _("This address belongs to a staff account; sign in with username and password.")}
        )
    if user is None:
        user = User(
            username=f"r{destination}" if is_phone else f"r_{secrets.token_hex(6)}",
            account_type=AccountType.RESIDENT,
            display_name=_("Resident %(tail)s") % {"tail": destination[-4:] if is_phone else destination.split("@")[0]},
            **lookup,
        )
        user.set_unusable_password()
        reason = "orgs.user.created"
    else:
        reason = "orgs.user.updated"
    if is_phone:
        user.phone_verified_at = user.phone_verified_at or now
    else:
        user.email_verified_at = user.email_verified_at or now
    save_with_history(user, actor=None, reason=reason)
    return user
