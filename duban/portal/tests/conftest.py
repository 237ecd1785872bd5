# A mapped district with a running campaign, for the portal's problem pages.
from duban.campaigns.tests.conftest import world  # noqa: F401
