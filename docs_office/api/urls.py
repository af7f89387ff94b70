from rest_framework.routers import SimpleRouter

from docs_office.api.views import IncomingDocumentViewSet, OutgoingDocumentViewSet

router = SimpleRouter()
router.register("incoming-documents", IncomingDocumentViewSet, basename="api-incoming-document")
router.register("outgoing-documents", OutgoingDocumentViewSet, basename="api-outgoing-document")

urlpatterns = router.urls
