from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from egov.core import views

handler400 = "egov.core.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("lam-viec/", views.workspace, name="workspace"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links; the icon is a static file.
    path("favicon.ico", views.favicon),
    path("tai-khoan/", include("egov.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/", views.language_choose, name="language_choose"),
    path("ky-so/", include("signatures.urls")),
    path("tra-cuu-ho-so/", include("one_stop.urls")),
    path("mot-cua/", include("one_stop.staff_urls")),
    path("lay-so/", include("one_stop.tickets.urls")),
    path("dich-vu-cong/", include("public_services.urls")),
    path("thanh-toan/", include("public_services.payments.urls")),
    path("van-ban/", include("docs_office.urls")),
    path("dich-vu-ky-so-tu-xa/", include("signatures.remote.urls")),
    path("xac-thuc-chu-ky/", include("signatures.public_urls")),
    path("thong-ke/", include("reports.urls")),
    path("bang-dieu-khien/", include("reports.staff_urls")),
    path("", include("portal.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("signatures.api.urls")),
    # The citizen portal's API first: its "dossiers/drafts/" must not be taken for a dossier code.
    path("api/v1/", include("public_services.api.urls")),
    path("api/v1/", include("one_stop.api.urls")),
    path("api/v1/", include("public_services.payments.api_urls")),
    path("api/v1/", include("docs_office.api.urls")),
    path("api/v1/", include("egov.accounts.api_urls")),
    path("api/v1/", include("portal.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
