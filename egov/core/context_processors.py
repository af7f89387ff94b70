from django.conf import settings
from django.utils.translation import get_language


def portal(request):
    """The portal's name in the page's language: its English name (EGOV_PORTAL_NAME_EN) for English pages
    where one is configured, its Vietnamese name otherwise."""
    if get_language() == "en" and settings.EGOV_PORTAL_NAME_EN:
        return {"portal_name": settings.EGOV_PORTAL_NAME_EN}
    return {"portal_name": settings.EGOV_PORTAL_NAME}
