from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from duban.api import api
from duban.core.views import favicon
from duban.orgs.auth_views import StaffLoginView, resident_login

urlpatterns = [
    path("", include("duban.portal.urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/login/", StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/resident/", resident_login, name="resident_login"),
    path("org/", include("duban.orgs.urls")),
    path("ledger/", include("duban.ledger.urls")),
    path("notifications/", include("duban.notifications.urls")),
    path("exports/", include("duban.downloads.urls")),
    path("rectification/", include("duban.rectification.urls")),
    path("rules/", include("duban.rules.urls")),
    path("fleet/", include("duban.fleet.urls")),
    path("payments/", include("duban.payments.urls")),
    path("research/", include("duban.research.urls")),
    path("renewal/", include("duban.renewal.urls")),
    path("contracts/", include("duban.contracts.urls")),
    path("cockpit/", include("duban.cockpit.urls")),
    path("bulletins/", include("duban.bulletins.urls")),
    path("open-data/", include("duban.opendata.urls")),
    path("reforms/", include("duban.reforms.urls")),
    path("campaigns/", include("duban.campaigns.urls")),
    path("open311/v2/", include("duban.campaigns.urls_open311")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

handler400 = "duban.core.handlers.bad_request"
handler403 = "duban.core.handlers.permission_denied"
handler404 = "duban.core.handlers.page_not_found"
handler500 = "duban.core.handlers.server_error"
