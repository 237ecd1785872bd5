"""The ways a notice leaves the building. Each channel finds a person's address and sends one text;
a failure raises `ChannelError` saying why, which the delivery records. Which class serves each
channel is a setting (DUBAN_NOTIFICATION_CHANNELS): mail through Django's mail settings (SMTP when
EMAIL_URL is set), and for text messages and the government work app either a webhook (an SMS
gateway; a 粤政易/WeCom-style group robot) or, in the demo, the console."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger("duban.notifications.console")


class ChannelError(Exception):
    """The channel could not send; the message says why (kept on the delivery)."""


def _mobile(user) -> str:
    person = getattr(user, "person", None)
    return (getattr(person, "mobile", "") or user.phone or "").strip()


class Email:
    def address(self, user) -> str:
        return (user.email or "").strip()

    def send(self, address: str, subject: str, text: str) -> None:
        try:
            EmailMessage(subject=subject, body=text, to=[address]).send(fail_silently=False)
        except (OSError, Exception) as error:  # smtplib's and the socket's errors alike
            raise ChannelError(f"{type(error).__name__}: {error}"[:300]) from error


class Console:
    """The demo's text messages and work app: written to the server's log, never sent."""

    kind = "console"

    def address(self, user) -> str:
        return _mobile(user)

    def send(self, address: str, subject: str, text: str) -> None:
        logger.info("[%s] to %s: %s", self.kind, address, text)


class ConsoleSMS(Console):
    kind = "sms"


class ConsoleWorkApp(Console):
    kind = "workapp"


class Webhook(ABC):
    """POSTs JSON to a URL and expects 2xx (and, from a WeCom-style robot, errcode 0)."""

    url_setting = ""

    def address(self, user) -> str:
        return _mobile(user)

    @abstractmethod
    def payload(self, address: str, subject: str, text: str) -> dict:
        """The JSON body the gateway takes for one text to `address`."""

    def send(self, address: str, subject: str, text: str) -> None:
        body = json.dumps(self.payload(address, subject, text), ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the configured gateway
            getattr(settings, self.url_setting), data=body, headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answer = response.read(4096)
        except urllib.error.HTTPError as error:
            raise ChannelError(f"HTTP {error.code} from the gateway") from error
        except OSError as error:
            raise ChannelError(f"{type(error).__name__}: {error}"[:300]) from error
        try:
            code = json.loads(answer or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            code = 0
        if code:
            raise ChannelError(f"the gateway answered errcode {code}")


class SMSWebhook(Webhook):
    url_setting = "DUBAN_SMS_WEBHOOK_URL"

    def payload(self, address, subject, text):
        return {"phone": address, "text": text}


class WorkAppWebhook(Webhook):
    """A 粤政易/WeCom-style group robot: a text that mentions the person by mobile number."""

    url_setting = "DUBAN_WORKAPP_WEBHOOK_URL"

    def payload(self, address, subject, text):
        return {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": [address]}}


def channel(name: str):
    return import_string(settings.DUBAN_NOTIFICATION_CHANNELS[name])()


def available() -> list[str]:
    """The channels this site can use: email only when it sends mail (EMAIL_URL)."""
    return [name for name in settings.DUBAN_NOTIFICATION_CHANNELS if name != "email" or settings.EMAIL_URL]
