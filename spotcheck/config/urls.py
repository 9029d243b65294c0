from django.contrib import admin
from django.urls import include, path

from spotcheck.api.main import api
from spotcheck.common import health
from spotcheck.inspections.views.home import home

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", home, name="home"),
    path("accounts/", include("spotcheck.accounts.urls")),
    path("directory/", include("spotcheck.directory.urls")),
    path("items/", include("spotcheck.items.urls")),
    path("", include("spotcheck.common.urls")),
    path("imports/", include("spotcheck.imports.urls")),
    path("plans/", include("spotcheck.plans.urls")),
    path("draws/", include("spotcheck.draws.urls")),
    path("inspections/", include("spotcheck.inspections.urls")),
    path("credit/", include("spotcheck.credit.urls")),
    path("checks/", include("spotcheck.checks.urls")),
    path("publication/", include("spotcheck.publication.urls")),
    path("public/", include("spotcheck.portal.urls")),
    path("audit/", include("spotcheck.audit.urls")),
    path("check/", include("spotcheck.firms.urls")),
    path("stats/", include("spotcheck.stats.urls")),
]
