"""The portal's own language (Vietnamese, settings.LANGUAGE_CODE) for texts written once and read by everyone."""

from django.conf import settings
from django.utils import translation


def portal_language():
    """Texts the system writes into a record (an event's note, a history line) are stored once and read later by
    people in either language, and printed on Vietnamese forms: they are written in the portal's language,
    whatever the interface language of the person whose action writes them.

        with portal_language():
            note = _("Lãnh đạo ký số kết quả.")
    """
    return translation.override(settings.LANGUAGE_CODE)
