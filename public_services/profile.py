"""The citizen's profile values that forms prefill (never asked twice): the accounts app owns them."""


def citizen_profile(user) -> dict:
    from egov.accounts.selectors import citizen_profile_values

    return citizen_profile_values(user)
