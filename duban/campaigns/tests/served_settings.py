"""The settings of the server the contention tests start (`duban.core.testserver`): the project's
own, with static files from the finders (no `collectstatic`) and a password hasher that takes as
long as PBKDF2 does in production (about 0.3 s) while leaving the CPU to the server."""

import time

from django.contrib.auth.hashers import MD5PasswordHasher

from duban.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["duban.campaigns.tests.served_settings.SlowHasher"]


class SlowHasher(MD5PasswordHasher):
    algorithm = "slow_md5"
    seconds = 0.6

    def encode(self, password, salt):
        time.sleep(self.seconds)
        return super().encode(password, salt)

    def verify(self, password, encoded):
        time.sleep(self.seconds)
        return super().verify(password, encoded)
