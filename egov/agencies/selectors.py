"""Reads of the agency tree. Any depth: recursive SQL, never a loop of one query per level."""

from django.db import connection
from django.db.models import QuerySet

from egov.agencies.models import Agency

_DESCENDANTS_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM agencies_agency WHERE id = %s
    UNION
    SELECT a.id FROM agencies_agency a JOIN subtree s ON a.parent_id = s.id
)
SELECT id FROM subtree
"""

_ANCESTORS_SQL = """
WITH RECURSIVE chain(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM agencies_agency WHERE id = %s
    UNION ALL
    SELECT a.id, a.parent_id, c.depth + 1 FROM agencies_agency a JOIN chain c ON a.id = c.parent_id
)
SELECT id FROM chain ORDER BY depth DESC
"""


def agency_subtree_ids(*, agency: Agency) -> list[int]:
    """The agency and everything below it, at any depth."""
    with connection.cursor() as cursor:
        cursor.execute(_DESCENDANTS_SQL, [agency.pk])
        return [row[0] for row in cursor.fetchall()]


def agency_subtree(*, agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=agency_subtree_ids(agency=agency))


def agency_ancestors(*, agency: Agency) -> list[Agency]:
    """From the root down to the agency itself (inclusive), in one query plus one fetch."""
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [agency.pk])
        ids = [row[0] for row in cursor.fetchall()]
    by_id = Agency.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("parent")
