"""Open311 GeoReport v2 under /open311/v2/: every endpoint takes a .json or .xml suffix."""

from django.urls import re_path

from duban.campaigns import open311

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)/?$"

urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.services, name="services"),
    re_path(r"^services/(?P<code>[-\w.]+?)" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests_, name="requests"),
    re_path(r"^requests/(?P<pk>[^/]+?)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<value>[^/]+?)" + FMT, open311.token, name="token"),
]
