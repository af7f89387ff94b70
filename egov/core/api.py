"""The API's one error shape: {"error": {"code", "message", "fields"}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from egov.core.errors import ApplicationError


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        body = {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}
        headers = {"Retry-After": str(max(1, exc.retry_after))} if exc.retry_after is not None else None
        return Response(body, status=exc.status, headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields = {}
    message = ""
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        fields = response.data
        message = _("Dữ liệu không hợp lệ.")
    elif isinstance(response.data, dict):
        message = str(response.data.get("detail", ""))
    code = "invalid" if fields else getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response


def file_responses(content_types) -> dict:
    """The OpenAPI responses of an endpoint that answers a stored file under its own content type (one of
    `content_types`, the types its uploads were sniffed as): each documented, so a client knows what comes."""
    from drf_spectacular.types import OpenApiTypes

    return {(200, content_type): OpenApiTypes.BINARY for content_type in content_types}
