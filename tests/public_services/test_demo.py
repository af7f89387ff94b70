import pytest

from one_stop.models import Procedure, ProcedureVersion
from one_stop.selectors import procedure_version_current
from public_services.demo import demo_forms_seed
from public_services.demo_forms import DEMO_FORMS

pytestmark = pytest.mark.django_db


def test_the_demo_gives_forms_to_curated_procedures_and_running_again_changes_nothing():
    from one_stop.demo import demo_catalogue_seed

    demo_catalogue_seed(stdout=lambda _: None, include_raw=False)
    demo_forms_seed(stdout=lambda _: None)
    for code, (form, _level) in DEMO_FORMS.items():
        procedure = Procedure.objects.get(code=code)
        assert procedure.online_level in ("full", "partial")
        assert procedure_version_current(procedure=procedure).form == form
    versions = ProcedureVersion.objects.count()

    from django.core.management import call_command

    call_command("portal_demo_forms")

    assert ProcedureVersion.objects.count() == versions
    assert procedure_version_current(procedure=Procedure.objects.get(code="1.001193")).form == DEMO_FORMS["1.001193"][0]


def test_every_demo_upload_slot_that_names_a_catalogue_document_finds_it():
    """A slot's "document" is the beginning of a required document's name in the curated catalogue: were the
    catalogue reworded, the desk would silently stop ticking what citizens upload."""
    import json

    from one_stop.demo import CURATED
    from one_stop.services.documents import _requirement_key

    catalogue = {entry["code"]: entry for entry in json.loads(CURATED.read_text(encoding="utf-8"))}
    named = 0
    for code, (form, _level) in DEMO_FORMS.items():
        names = [_requirement_key(doc["name"]) for doc in catalogue[code].get("required_documents") or []]
        for slot in form.get("uploads", []):
            if "document" in slot:
                named += 1
                assert any(name.startswith(_requirement_key(slot["document"])) for name in names), (code, slot["name"])
    assert named >= 3
