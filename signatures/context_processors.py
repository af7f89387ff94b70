from functools import cache


def signing_menu(request):
    """`can_sign` for the staff layout's "Ký số" link: does the user, or their agency, hold a certificate?

    One query, and only when a template asks (a callable in the context is called on first use): public
    pages never pay for it, staff pages once instead of twice.
    """

    @cache
    def can_sign() -> bool:
        from django.db.models import Q

        from signatures.models import Certificate

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        mine = Q(owner_id=user.pk)
        if user.agency_id is not None:
            mine |= Q(agency_id=user.agency_id)
        return Certificate.objects.filter(mine).exists()

    return {"can_sign": can_sign}
