from django.conf import settings


def portal(request):
    return {"portal_name": settings.EGOV_PORTAL_NAME}
