"""Reads of the accounts app that other apps rely on."""

from egov.accounts.models import User

PROFILE_KEYS = ("full_name", "id_number", "phone", "email", "address", "birth_date", "gender")


def citizen_profile_values(user: User) -> dict:
    """What the citizen portal prefills online forms with; empty strings (None for the date) when unknown.

    Reads only the user row already loaded: no query.
    """
    if user is None or not user.is_authenticated:
        return dict.fromkeys(PROFILE_KEYS, "") | {"birth_date": None}
    return {
        "full_name": user.full_name or "",
        "id_number": user.national_id or "",
        "phone": user.phone or "",
        "email": user.email or "",
        "address": user.address or "",
        "birth_date": user.birth_date,
        "gender": user.gender or "",
    }


def personal_data_requests_for(*, user: User):
    """The citizen's own requests about their data, newest first, each with its history: two queries."""
    from django.db.models import Prefetch

    from egov.accounts.models import PersonalDataRequest, PersonalDataRequestEvent

    return (PersonalDataRequest.objects.filter(user=user)
            .prefetch_related(Prefetch("events", queryset=PersonalDataRequestEvent.objects.order_by("at", "id"))))
