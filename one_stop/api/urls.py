from django.urls import path
from rest_framework.routers import SimpleRouter

from egov.accounts.api import TokenObtainView
from one_stop.api.views import DossierViewSet, ProcedureViewSet, public_lookup, public_rating

router = SimpleRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("lookup/<str:code>/", public_lookup, name="dossier-lookup"),
    path("lookup/<str:code>/rating/", public_rating, name="dossier-rating"),
    *router.urls,
]
