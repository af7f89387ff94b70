"""Where the remote signing service tells the portal that a signer answered."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from signatures.services.requests import signature_request_remote_notified


@csrf_exempt  # called by the signing service, not a browser; the body is only a hint (see the service)
@require_POST
def remote_notified(request):
    try:
        data = json.loads(request.body)
        transaction_id = data["transaction_id"]
    except (ValueError, KeyError, TypeError):
        transaction_id = None
    # A service's identifier is a short text; NUL cannot reach PostgreSQL (a 500 before; found in review).
    if not isinstance(transaction_id, str | int) or isinstance(transaction_id, bool) or not str(transaction_id).strip() \
            or "\x00" in str(transaction_id):
        return JsonResponse({"error": {"code": "bad_request", "message": "transaction_id required", "fields": {}}},
                            status=400)
    transaction_id = str(transaction_id)[:100]
    signature_request_remote_notified(transaction_id=transaction_id)
    return JsonResponse({"status": "accepted"}, status=202)
