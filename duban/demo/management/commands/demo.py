"""`duban demo`: migrate, seed the demo district once, and print one login per persona."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from duban.campaigns.models import Campaign
from duban.campaigns.stats import figures
from duban.demo.campaign_seed import DEMO_OPEN311_KEY, demo_open311_key
from duban.demo.seed import DEMO_PASSWORD, PERSONAS, demo_is_seeded, seed_demo


class Command(BaseCommand):
    help = "Migrate and seed the demo district (kept on later runs), then print the demo logins."

    def handle(self, *args, **options):
        key = demo_open311_key()  # a bad value stops the command before anything is written
        call_command("migrate", interactive=False, verbosity=0)
        if demo_is_seeded():
            self.stdout.write("The demo district is already seeded; keeping its data (make demo-reset starts over).")
        else:
            self.stdout.write("Seeding the demo district (罗湖区)...")
            seed_demo()
            self.stdout.write(self.style.SUCCESS("Demo district seeded."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins at /accounts/login/ (password for all staff: {DEMO_PASSWORD}):")
        for username, persona in PERSONAS:
            self.stdout.write(f"  {username:<15} {persona}")
        self.stdout.write("")
        for campaign in Campaign.objects.order_by("starts_on"):
            solved = figures(campaign).solved
            self.stdout.write(f"{campaign.name}: {solved:,} problems solved (/participate/problems/statistics/)")
        chosen = key != DEMO_OPEN311_KEY
        source = (
            "from DUBAN_DEMO_OPEN311_KEY" if chosen else "set DUBAN_DEMO_OPEN311_KEY before seeding to choose another"
        )
        self.stdout.write(f"Open311 endpoint /open311/v2/ ; demo api_key: {key} ({source})")
