"""URL routes: /healthz for load balancers, the dashboard at the root, collection rounds under /collection/,
language switching under /i18n/, the JSON API under /api/v1/ (with API tokens at /account/tokens/)."""

from django.urls import URLPattern, URLResolver, include, path

from shihyo.web.api.urls import api_patterns
from shihyo.web.health import healthz

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("shihyo.web.api.urls")),
    path("", include("shihyo.web.opendata.urls")),
    *api_patterns,
    path("", include("shihyo.web.collection.urls")),
    path("", include("shihyo.web.dashboard.urls")),
]

handler403 = "shihyo.web.errors.permission_denied"
handler404 = "shihyo.web.errors.page_not_found"
handler500 = "shihyo.web.errors.server_error"
