"""Pages of the citizen portal. No business rules here: selectors read, services write."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from one_stop.constants import DossierChannel, OnlineLevel
from one_stop.selectors import procedure_fields
from public_services import selectors

PAGE_SIZE = 20
LEVEL_CHOICES = [("commune", _("Cấp xã")), ("province", _("Cấp tỉnh")), ("central", _("Cấp trung ương"))]


def catalogue(request):
    """The portal home: search the procedure catalogue, filter by field, level, agency and online level."""
    params = request.GET
    filters = {
        "query": params.get("q", "").strip()[:200],
        "field": params.get("linh_vuc", "").strip(),
        "online_level": params.get("muc_do", "").strip() if params.get("muc_do") in OnlineLevel.values else "",
        "level": params.get("cap", "").strip() if params.get("cap") in dict(LEVEL_CHOICES) else "",
        "agency": params.get("co_quan", "").strip(),
    }
    procedures = selectors.catalogue_search(**filters)
    page = Paginator(procedures, PAGE_SIZE).get_page(params.get("trang"))
    query_without_page = params.copy()
    query_without_page.pop("trang", None)
    return render(request, "public_services/catalogue.html", {
        "page": page, "filters": filters, "fields": procedure_fields(), "agencies": selectors.catalogue_agencies(),
        "online_levels": OnlineLevel.choices, "levels": LEVEL_CHOICES,
        "query_string": query_without_page.urlencode(), "searched": any(filters.values()),
    })


def procedure_detail(request, code: str):
    """Everything a citizen must know before applying (công khai thủ tục hành chính)."""
    found = selectors.procedure_public(code=code)
    if found is None:
        raise Http404
    procedure, version = found
    documents = []
    for document in (version.required_documents if version else []):
        originals, copies = selectors.document_copies(document.get("copies", ""))
        documents.append({**document, "originals": originals, "copies_count": copies})
    return render(request, "public_services/procedure.html", {
        "procedure": procedure, "version": version, "documents": documents,
        "channels": [{**c, "label": DossierChannel(c["channel"]).label if c.get("channel") in DossierChannel.values
                      else c.get("channel", "")} for c in (version.channels if version else [])],
        "agencies": selectors.handling_agencies_for(procedure=procedure),
        "online": procedure.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL),
        "has_form": bool(version and getattr(version, "form", None)),
        "levels": [dict(LEVEL_CHOICES).get(level, level) for level in procedure.levels or []],
    })
