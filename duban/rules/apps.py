from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "duban.rules"
    label = "rules"
    verbose_name = _("Rules")

    def nav_items(self):
        from duban.orgs.access import is_official

        return [("rules:rule_list", _("Rules"), is_official)]

    def cockpit_tiles(self, scope, today):
        """The registry's tile on the cockpit (see `duban.cockpit.tiles`)."""
        from duban.rules.cockpit import tiles

        return tiles(scope, today)

    def ledger_owners(self):
        """The subjects this context attaches to ledger items (see `duban.ledger.owners`)."""
        from duban.rules.subjects import RuleActionOwner, RuleReviewOwner

        return [RuleActionOwner(), RuleReviewOwner()]

    def sweep(self) -> str:
        from duban.rules.reviews import reviews_open
        from duban.rules.services import rules_lapse

        opened, waiting = reviews_open()
        line = f"{rules_lapse()} rules lapsed; {opened} rule reviews opened"
        return line + (f", {waiting} waiting for this year's rule-revision ledger" if waiting else "")

    def records_built_from(self, subjects) -> dict:
        """subject pk → the rule actions that cite it (`duban.core.derived`)."""
        from duban.rules.causes import actions_citing

        return actions_citing(subjects)

    def build_from_link(self, subject, user):
        from duban.rules.causes import build_link

        return build_link(subject, user)
