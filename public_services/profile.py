"""The citizen's profile values that forms prefill (never asked twice).

The citizen-accounts work adds `egov.accounts.selectors.citizen_profile_values(user)`; until it lands,
a local fallback reads what the User model already holds (name, ID number, phone, e-mail).
"""


def citizen_profile(user) -> dict:
    try:
        from egov.accounts.selectors import citizen_profile_values
    except ImportError:
        return _profile_from_user(user)
    return citizen_profile_values(user)


def _profile_from_user(user) -> dict:
    return {"full_name": user.full_name or "", "id_number": user.national_id or "", "phone": user.phone or "",
            "email": user.email or "", "address": "", "birth_date": "", "gender": ""}
