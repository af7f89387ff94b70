from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from public_services.payments.api.serializers import PaymentSerializer, PaymentStartedSerializer


@extend_schema(methods=["GET"], responses=PaymentSerializer(many=True),
               description="Các lần thanh toán của hồ sơ: người nộp và cán bộ cơ quan tiếp nhận, giải quyết.")
@extend_schema(methods=["POST"], request=None, responses={201: PaymentStartedSerializer, 200: PaymentStartedSerializer},
               description="Người nộp (chủ hồ sơ) bắt đầu thanh toán phí, lệ phí: trả về địa chỉ cổng thanh toán. "
                           "Khi còn một giao dịch đang chờ thanh toán và chưa hết hạn, trả về giao dịch đó (200).")
@api_view(["GET", "POST"])
def dossier_payments(request, code: str):
    from one_stop.selectors import dossiers_visible_to
    from public_services.payments.selectors import dossier_owned_by, payments_visible_to
    from public_services.payments.views import payment_start_for_request

    if request.method == "POST":
        dossier = dossier_owned_by(user=request.user, code=code)
        if dossier is None:
            raise Http404
        payment = payment_start_for_request(request._request, dossier)
        body = {"payment_url": payment.gateway_url, "txn_ref": payment.txn_ref, "amount_vnd": payment.amount_vnd}
        # The attempt still payable is handed back (200), not a second order the payer could pay as well.
        created = not getattr(payment, "reused", False)
        return Response(PaymentStartedSerializer(body).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
    dossier = dossiers_visible_to(user=request.user).filter(code=code).first()
    if dossier is None:
        raise Http404
    payments = payments_visible_to(user=request.user).filter(dossier=dossier).order_by("-created_at", "-id")
    return Response(PaymentSerializer(payments, many=True).data)


@extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Biên lai điện tử")},
               description="Biên lai thu phí, lệ phí điện tử (PDF): người nộp và cán bộ cơ quan của hồ sơ.")
@api_view(["GET"])
def payment_receipt(request, txn_ref: str):
    from public_services.payments.selectors import receipts_visible_to
    from public_services.payments.views import receipt_response

    payment = receipts_visible_to(user=request.user).filter(txn_ref=txn_ref).first()
    if payment is None or not payment.receipt_file:
        raise Http404
    return receipt_response(payment)
