from duban.campaigns.tests.conftest import world  # noqa: F401 - the campaigns' fixture, used here
