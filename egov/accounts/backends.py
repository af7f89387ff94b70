"""Log-in by identifier: citizens by ID number, phone or e-mail; everyone by username."""

import functools
import re
import unicodedata

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.accounts.validators import normalize_phone

# Facts about the signed-in user that domain apps read on every page, asked in the same statement that
# loads the user: name -> an SQL value (a boolean, a number) over the user's row `u` (constant text written
# by the app, with no parameters). Apps register theirs in AppConfig.ready(), before the first request; the
# request's user carries them in `signed_in_facts`.
SIGNED_IN_USER_FACTS: dict[str, str] = {}
# Those of them only a view's own content reads, never the layouts (a version of what one page lists): kept
# pages (egov.core.staff_pages) leave them out of the layout key, and the view that reads one keys its content
# by it — so a change they stand for renders that page again, not every kept page of the user.
CONTENT_FACTS: set[str] = set()


def _identifier_kind(identifier: str) -> tuple[str, str]:
    """What a typed sign-in identifier names — ("national_id" | "email" | "phone" | "username", the value looked up)."""
    identifier = (identifier or "").strip()
    if re.fullmatch(r"\d{12}", identifier):
        return "national_id", identifier
    if "@" in identifier:
        return "email", identifier
    phone = normalize_phone(identifier)
    if re.fullmatch(r"0\d{9,10}", phone):
        return "phone", phone
    return "username", identifier


def user_lookup_q(identifier: str) -> Q:
    kind, value = _identifier_kind(identifier)
    if kind == "national_id":
        return Q(national_id=value, groups__name=Role.CITIZEN)
    if kind == "email":
        return Q(email__iexact=value, groups__name=Role.CITIZEN)
    if kind == "phone":
        return Q(phone=value, groups__name=Role.CITIZEN)
    return Q(username=value)


def users_by_identifier(request, identifier: str) -> list[User]:
    """Up to two accounts `identifier` signs in as (one: that account; none or two: no sign-in), asked once per
    request: django-axes' key (axes_username) and IdentifierBackend.authenticate share the answer."""
    holder = getattr(request, "_request", request)  # DRF's Request wraps the HttpRequest the middleware sees
    cache = getattr(holder, "_egov_users_by_identifier", None) if holder is not None else None
    if cache is not None and identifier in cache:
        return cache[identifier]
    users = list(User.objects.filter(user_lookup_q(identifier)).distinct()[:2])
    if holder is not None:
        if cache is None:
            cache = holder._egov_users_by_identifier = {}
        cache[identifier] = users
    return users


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        users = users_by_identifier(request, username)
        if len(users) != 1:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of each request, with their agency and role names, in one query.

        Every staff page needs all three (the layout's menu, the two-factor check, visibility rules), and
        composing them through the ORM costs more CPU than everything PostgreSQL does for the page: one
        statement built once from the models' metadata (so new columns follow), its rows turned into
        model instances as the ORM would.
        """
        from django.db import connections

        statement = _signed_in_user_sql()
        if statement is None:
            return super().get_user(user_id)
        connection = connections[User._default_manager.db]
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:  # not an id of ours (a tampered or foreign session): nobody is signed in
            return None
        if connection.alias == "default":
            # Planned once per connection: this runs on every signed-in page.
            from egov.core.sql import fetchall_prepared

            rows = fetchall_prepared(statement, [user_id])
            row = rows[0] if rows else None
        else:
            with connection.cursor() as cursor:
                cursor.execute(statement, [user_id])
                row = cursor.fetchone()
        return None if row is None else self.user_from_row(row, connection.alias)

    def user_from_row(self, row, alias: str):
        """The user of a row of signed_in_user_columns(), as the ORM would build it, with their agency, role
        names and facts; None when the row holds no user or one who may not sign in."""
        from egov.agencies.models import Agency

        _select, user_fields, agency_fields = signed_in_user_columns()
        user_count = len(user_fields)
        if row[user_fields.index(User._meta.pk)] is None:  # left-joined: no such user
            return None
        user = User.from_db(alias, [f.attname for f in user_fields], row[:user_count])
        if not self.user_can_authenticate(user):
            return None
        if user.agency_id is not None:
            agency_row = row[user_count:user_count + len(agency_fields)]
            user.agency = Agency.from_db(alias, [f.attname for f in agency_fields], agency_row)
        user._role_names = set(row[-2] or ())  # what User.role_names() would query
        # The two-factor devices that may verify this user (egov.accounts.middleware.OTPMiddleware).
        user.confirmed_otp_devices = frozenset(row[-1] or ())
        facts = row[user_count + len(agency_fields):-2]
        user.signed_in_facts = dict(zip(sorted(SIGNED_IN_USER_FACTS), facts, strict=True))
        return user


@functools.cache
def signed_in_user_columns() -> tuple[str, list, list] | None:
    """What IdentifierBackend.get_user selects, over the users table as `u`, its agency joined as `a` (see
    signed_in_user_from), the fields in the models' order (as Model.from_db takes them); with the user's and
    the agency's fields.

    None when a column needs converting from what the driver returns (the ORM's converters): then the ORM
    loads the user, as ModelBackend does.
    """
    from django.contrib.auth.models import Group
    from django.db import connection

    from egov.agencies.models import Agency

    quote = connection.ops.quote_name
    user_fields, agency_fields = list(User._meta.concrete_fields), list(Agency._meta.concrete_fields)
    if any(field.get_db_converters(connection) for field in user_fields + agency_fields):
        return None
    membership = User.groups.through._meta
    to_user, to_group = membership.get_field("user").column, membership.get_field("group").column
    columns = [f"u.{quote(f.column)}" for f in user_fields] + [f"a.{quote(f.column)}" for f in agency_fields]
    user_pk = quote(User._meta.pk.column)
    columns += [f"({SIGNED_IN_USER_FACTS[name]})" for name in sorted(SIGNED_IN_USER_FACTS)]
    select = (
        f"{', '.join(columns)}, "  # noqa: S608  (names from the models' metadata)
        f"ARRAY(SELECT g.{quote(Group._meta.get_field('name').column)} FROM {quote(Group._meta.db_table)} g "
        f"JOIN {quote(membership.db_table)} m ON m.{quote(to_group)} = g.{quote(Group._meta.pk.column)} "
        f"WHERE m.{quote(to_user)} = u.{user_pk}), "
        f"{_confirmed_devices_sql(quote, f'u.{user_pk}')}"
    )
    return select, user_fields, agency_fields


def signed_in_user_from(user_id: str) -> str:
    """The joins that bring signed_in_user_columns() to a statement: the user whose id is the SQL
    expression `user_id`, and their agency, both left-joined."""
    from django.db import connection

    from egov.agencies.models import Agency

    quote = connection.ops.quote_name
    user_pk, agency_fk = quote(User._meta.pk.column), quote(User._meta.get_field("agency").column)
    return (
        f"LEFT JOIN {quote(User._meta.db_table)} u ON u.{user_pk} = {user_id} "
        f"LEFT JOIN {quote(Agency._meta.db_table)} a ON a.{quote(Agency._meta.pk.column)} = u.{agency_fk}"
    )


@functools.cache
def _signed_in_user_sql() -> str | None:
    """The statement of IdentifierBackend.get_user (None: the ORM loads the user); no row for no user."""
    from django.db import connection

    columns = signed_in_user_columns()
    if columns is None:
        return None
    pk = User._meta.pk
    # The id is a one-row table, so the user joins as in the session's statement (egov.accounts.sessions).
    return (
        f"SELECT {columns[0]} FROM (SELECT %s::{pk.rel_db_type(connection)} AS id) wanted "  # noqa: S608  (names from the models)
        f"{signed_in_user_from('wanted.id')} WHERE u.{connection.ops.quote_name(pk.column)} IS NOT NULL"
    )


def _confirmed_devices_sql(quote, user_pk: str) -> str:
    """An array of the persistent ids ("otp_totp.totpdevice/7") of the user's confirmed django-otp devices,
    one branch per installed device model: what django-otp's middleware would read from one of them on
    every request of a verified user."""
    from django_otp import device_classes

    branches = [
        f"SELECT '{model.model_label()}/' || d.{quote(model._meta.pk.column)} "  # noqa: S608  (labels and names from the models)
        f"FROM {quote(model._meta.db_table)} d WHERE d.{quote(model._meta.get_field('user').column)} = {user_pk} "
        f"AND d.{quote(model._meta.get_field('confirmed').column)}"
        for model in sorted(device_classes(), key=lambda model: model.model_label())
    ]
    return f"ARRAY({' UNION ALL '.join(branches)})" if branches else "ARRAY[]::text[]"


def axes_not_a_password_guess(request, credentials=None) -> bool:
    """django-axes' whitelist hook: only attempts that carry a username are counted and locked.

    A sign-in through the identity provider has no username; its failures (a forged token, the provider
    down) are no password guesses, and counted against (no username, IP) they would lock out every
    citizen behind a carrier's shared address.
    """
    return not (credentials or {}).get("username")


# django-axes' username column (AccessAttempt, AccessLog, AccessFailureLog): a longer key fails the insert.
AXES_USERNAME_MAX_LENGTH = 255


def axes_username(request, credentials=None) -> str | None:
    """django-axes' username callable: one key per account, however its identifier was typed.

    An account signs in by username, ID number, phone (0912…, +84 912…, 0912.000.111) or e-mail in any case;
    counted per typed string, each spelling had its own failures and escaped the lockout. The key of an identifier
    that names one account is that account's username (as axes itself records a successful sign-in, so the reset
    on success and the admin's list read it); any other identifier is keyed by its normalised form.
    """
    if credentials is not None:
        identifier = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        identifier = data.get("username") if hasattr(data, "get") else None
    if not identifier or not isinstance(identifier, str):
        return None
    users = users_by_identifier(request, identifier)
    if len(users) == 1:
        return users[0].get_username()
    return axes_identifier_key(identifier)


def axes_identifier_key(identifier: str) -> str:
    """The normalised form of an identifier that names no single account: the same for every spelling of it."""
    kind, value = _identifier_kind(unicodedata.normalize("NFKC", identifier))
    if kind == "email":
        value = value.lower()
    return value[:AXES_USERNAME_MAX_LENGTH]


def axes_usernames_of(user: User) -> set[str]:
    """Every key django-axes may hold the account's attempts under: its username (the key since sign-ins are keyed
    by account), and its identifiers as typed or normalised (attempts made while an identifier named no single
    account, and those recorded before)."""
    identifiers = {user.username, user.national_id, user.phone, user.email} - {None, ""}
    return identifiers | {axes_identifier_key(identifier) for identifier in identifiers}
