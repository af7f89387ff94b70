from django.conf import settings
from django.http import HttpResponse, JsonResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

API_PREFIX = "/api/"


def language_of_request(request) -> str:
    """The language to answer `request` in: the one the visitor chose (Django's language cookie, which the
    footer's switch sets), else Vietnamese. A page's language is never guessed from the browser's
    Accept-Language: a citizen whose browser is set to English reads the portal in the administration's
    language until they choose another. The API alone honours Accept-Language, which a client sets on purpose."""
    if request.path_info.startswith(API_PREFIX):
        return translation.get_language_from_request(request)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware choosing by `language_of_request`: pages vary by the language cookie (Vary:
    Cookie), not by Accept-Language; the API as Django does."""

    def process_request(self, request):
        translation.activate(language_of_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header (Django 5.2 has none built in).

    `manage.py check --deploy` does not look at it, so a test checks the header itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.EGOV_CSP

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request body over EGOV_MAX_REQUEST_MB before Django reads it (413).

    Django caps no total upload size; the reverse proxy should enforce the same limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.EGOV_MAX_REQUEST_MB * 1024 * 1024

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            # This runs before the language middleware: pick the visitor's language here, or the message
            # comes out in whatever language this thread served last.
            with translation.override(language_of_request(request)):
                message = _("Dữ liệu gửi lên quá lớn (tối đa %(mb)s MB mỗi lần gửi).") % {"mb": settings.EGOV_MAX_REQUEST_MB}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuses a URL whose path or query string holds a NUL character (400); removes NUL characters from the fields of
    a form posted to a page; refuses a form posted to the API that holds one (400, the API's error shape).

    PostgreSQL text and jsonb cannot store U+0000, so such a value reaching a query fails there as a
    database error (a 500). No legitimate link or typed text carries one: handle it once here instead of in
    every filter and in every view that reads a posted note without a form. A page's form is cleaned rather than
    refused: a NUL comes from a paste (a PDF, a spreadsheet) into one field, and a bare 400 threw away the whole
    form the person had typed (the counter's receipt form, with the applicant and every document); without the
    invisible character the text is what they meant. JSON bodies are checked where they are parsed (DRF's
    CharField refuses NUL); a file's content is not a field, and may hold any byte.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _holds_nul(request.GET):
            return self._refusal(request, gettext_lazy("Địa chỉ yêu cầu chứa ký tự không hợp lệ."))
        # Only the form encodings Django parses into request.POST (which the CSRF check reads next anyway).
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES and _holds_nul(request.POST):
            if request.path.startswith(API_PREFIX):
                return self._refusal(request, gettext_lazy("Dữ liệu gửi lên chứa ký tự không hợp lệ."))
            request.POST = _without_nul(request.POST)
        return self.get_response(request)

    @staticmethod
    def _refusal(request, message) -> HttpResponse:
        # This runs before the language middleware: the message is written in the visitor's language here.
        with translation.override(language_of_request(request)):
            message = str(message)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"error": {"code": "invalid", "message": message, "fields": {}}}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def _without_nul(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [*cleaned.getlist(key.replace("\x00", "")),
                                                  *(value.replace("\x00", "") for value in values)])
    cleaned._mutable = False
    return cleaned


class MethodNotAllowedPageMiddleware:
    """A page for a 405 (an action's address opened by a reload, a bookmark or a link: it takes only a posted form).

    Django's require_POST answers with an empty body, which the browser shows as its own error page; the visitor is
    told in the site's language that the address is an action's and where to go. The API keeps its JSON answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 405 and not response.content and request.method in ("GET", "HEAD")
                and not request.path_info.startswith(API_PREFIX)):
            from django.shortcuts import render

            page = render(request, "errors/405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
