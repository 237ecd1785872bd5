"""`duban migrate`: Django's migrate, then the cache table the rate limits count in (when the
cache is the database's; with REDIS_URL there is nothing to create). Every place that migrates —
`duban demo`, a production install, the test database — gets the table without a step of its own."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    help = f"{MigrateCommand.help} Then creates the cache table."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        if not (options["plan"] or options["check_unapplied"] or options["prune"]):
            call_command("createcachetable", database=options["database"], verbosity=options["verbosity"])
