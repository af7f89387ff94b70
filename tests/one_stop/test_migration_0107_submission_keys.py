"""Migration one_stop 0107 on a database that holds dossiers: the submission keys stored bare by 0105 become namespaced
by who sent them — "desk:<key>" for the desk's receipts (no citizen), "citizen:<user id>:<key>" for the portal's —
and its reverse makes them bare again. Run through Django's MigrationExecutor, with real transactions: inside the
test's wrapping transaction, PostgreSQL refuses to ALTER a table whose rows were just inserted (their deferred foreign
key checks are pending trigger events), and the database must be left at the newest migrations, flushed, for the rest."""

from datetime import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("one_stop", "0106_dossier_given_name_index")]
AFTER = [("one_stop", "0107_dossier_submission_key_by_submitter")]


def _migrate(targets):
    """Migrate to `targets` with a fresh executor (its graph and applied state read again), returning the apps then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0106():
    """The database at 0106 for the test, then back at the newest migrations whatever happened."""
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _dossier(apps, *, code, key, citizen=None, procedure, agency):
    Dossier = apps.get_model("one_stop", "Dossier")
    return Dossier.objects.create(
        code=code, procedure_id=procedure.pk, procedure_version_id=procedure.versions.get().pk,
        receiving_agency_id=agency.pk, handling_agency_id=agency.pk, channel="online" if citizen else "counter",
        applicant_name="Đặng Văn Công", applicant_id_number="020095001234", citizen_id=citizen.pk if citizen else None,
        state="submitted" if citizen else "received", submission_key=key)


def _keys():
    from one_stop.models import Dossier

    return dict(Dossier.objects.values_list("code", "submission_key"))


def test_0107_namespaces_the_keys_of_existing_desk_and_citizen_dossiers_and_its_reverse_strips_them(at_0106):
    agency = AgencyFactory(exchange_code="000.00.20.H41", commune=True)
    citizen, other = UserFactory(citizen=True), UserFactory(citizen=True)
    procedure = procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", processing_days=5),
                                 effective_from=timezone.make_aware(datetime(2025, 7, 1)))[0]
    # At 0106 a key is unique per receiving agency whoever sent it (dossier_submission_key_unique).
    rows = {"desk": (None, "4f1c2a0e9b7d4c3e8a6b5d4c3b2a1f0e"), "mine": (citizen, "9d8c7b6a-key-one"),
            "theirs": (other, "9d8c7b6a-key-two"), "keyless": (None, ""), "portal-none": (citizen, "")}
    codes = {}
    for number, (name, (owner, key)) in enumerate(rows.items(), start=1):
        codes[name] = _dossier(at_0106, code=f"000.00.20.H41-260301-{number:04d}", key=key, citizen=owner,
                               procedure=procedure, agency=agency).code

    _migrate(AFTER)

    keys = _keys()
    assert keys[codes["desk"]] == "desk:4f1c2a0e9b7d4c3e8a6b5d4c3b2a1f0e"
    assert keys[codes["mine"]] == f"citizen:{citizen.pk}:9d8c7b6a-key-one"
    assert keys[codes["theirs"]] == f"citizen:{other.pk}:9d8c7b6a-key-two"
    assert keys[codes["keyless"]] == keys[codes["portal-none"]] == ""  # no key, nothing to namespace

    _migrate(BEFORE)  # the reverse: bare keys again, as 0106 stored them

    assert _keys() == {codes[name]: key for name, (_owner, key) in rows.items()}
