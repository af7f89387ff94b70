from functools import cache


def signing_menu(request):
    """`can_sign` for the staff layout's "Ký số" link: does the user, or their agency, hold a certificate usable
    now (active, within its validity)?

    Answered by the statement that loads the signed-in user (signatures.apps registers it); otherwise
    one query, and only when a template asks (a callable in the context is called on first use).
    """

    @cache
    def can_sign() -> bool:
        from django.db import connection

        from signatures.models import Certificate

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        facts = getattr(user, "signed_in_facts", None)
        if facts and "can_sign" in facts:  # asked with the user (apps.py), as on every signed-in page
            return facts["can_sign"]
        # In SQL: on every staff page the ORM would spend longer composing this than PostgreSQL answering it.
        table = connection.ops.quote_name(Certificate._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE (owner_id = %s OR agency_id = %s) "  # noqa: S608
                           "AND is_active AND not_before <= now() AND not_after > now())", [user.pk, user.agency_id])
            return cursor.fetchone()[0]

    return {"can_sign": can_sign}
