"""The `duban` command: Django's manage.py under the project's own name (`duban serve`, `duban demo`, ...)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([sys.argv[0], *sys.argv[1:]])
    except ImproperlyConfigured as error:  # a bad setting: one line naming it, not a traceback
        sys.exit(f"duban: {error}")


if __name__ == "__main__":
    main()
