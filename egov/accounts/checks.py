"""Deploy checks of the accounts app (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def data_protection_contact_set(app_configs, **kwargs):
    """The personal-data notice tells citizens whom to write to about their data (Law 91/2025/QH15): the default,
    an address at localhost, reaches no one — a deployment names its operator's address (found by exploratory
    testing: the demo's notice showed it to citizens)."""
    contact = (settings.EGOV_DATA_PROTECTION_CONTACT or "").strip()
    if contact and not contact.lower().endswith("@localhost"):
        return []
    return [checks.Warning(
        f"EGOV_DATA_PROTECTION_CONTACT is {contact or 'empty'!r}: the personal-data notice gives citizens no address "
        "that reaches the portal's operator.",
        hint="Set EGOV_DATA_PROTECTION_CONTACT to the operating agency's address for personal-data requests.",
        id="egov.W001")]
