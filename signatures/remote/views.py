"""Where the remote signing service tells the portal that a signer answered."""

from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from signatures.services.requests import signature_request_remote_notified


class RemoteNotificationSerializer(serializers.Serializer):
    # A service's identifier is a short text (or a number); DRF's CharField refuses NUL, which cannot reach
    # PostgreSQL (a 500 before; found in review), blanks, objects, lists and booleans.
    transaction_id = serializers.CharField(max_length=100)


class RemoteNotifiedView(APIView):
    """Called by the signing service, not a browser: no session, no CSRF token. The body is only a hint — the
    service asks the signing service itself for the answer (see signature_request_remote_notified)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    schema = None  # not part of the public API

    def post(self, request):
        notification = RemoteNotificationSerializer(data=request.data)
        notification.is_valid(raise_exception=True)
        signature_request_remote_notified(transaction_id=notification.validated_data["transaction_id"])
        return Response({"status": "accepted"}, status=status.HTTP_202_ACCEPTED)


remote_notified = RemoteNotifiedView.as_view()
