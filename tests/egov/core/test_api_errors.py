import pytest
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory

from egov.core.errors import ApplicationError


@api_view(["POST"])
@permission_classes([AllowAny])
def _refusing_view(request):
    raise ApplicationError("invalid_transition", "Hồ sơ đã được tiếp nhận, không thể rút.", status=409)


class _Serializer(serializers.Serializer):
    phone = serializers.CharField(max_length=3)


@api_view(["POST"])
@permission_classes([AllowAny])
def _validating_view(request):
    _Serializer(data=request.data).is_valid(raise_exception=True)


@api_view(["GET"])
def _private_view(request):
    raise AssertionError("not reached")


@pytest.fixture
def factory():
    return APIRequestFactory()


def test_a_business_refusal_has_the_one_error_shape(factory):
    response = _refusing_view(factory.post("/x", {}, format="json"))
    assert response.status_code == 409
    assert response.data == {"error": {"code": "invalid_transition", "message": "Hồ sơ đã được tiếp nhận, không thể rút.",
                                       "fields": {}}}


def test_invalid_input_names_each_field(factory):
    response = _validating_view(factory.post("/x", {"phone": "12345"}, format="json"))
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"
    assert set(response.data["error"]["fields"]) == {"phone"}


def test_an_anonymous_request_gets_the_error_shape_too(factory):
    response = _private_view(factory.get("/x"))
    assert response.status_code == 403
    assert response.data["error"]["code"] == "not_authenticated"
