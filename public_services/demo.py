"""Demo online forms: a few curated procedures get a form on their version in force, so the portal can
be tried end to end. A seed_demo step (after the catalogue's): the catalogue import keeps a form and an
online level that its source does not state, so seeding again changes nothing. Also
`manage.py portal_demo_forms`. Idempotent: a version that already has the form is left alone.
"""

from public_services.demo_forms import DEMO_FORMS


def demo_forms_seed(*, stdout=print) -> None:
    from one_stop.constants import OnlineLevel
    from one_stop.models import Procedure
    from one_stop.selectors import procedure_version_current
    from public_services.services import procedure_form_set

    done = []
    for code, (form, online_level) in DEMO_FORMS.items():
        procedure = Procedure.objects.filter(code=code, is_active=True).first()
        version = procedure and procedure_version_current(procedure=procedure)
        if version is None:
            continue
        if procedure.online_level == OnlineLevel.NONE:
            # The national portal offers these online; the curated record does not say so yet.
            procedure.online_level = online_level
            procedure.save(update_fields=["online_level", "updated_at"])
        if version.form != form:
            procedure_form_set(version=version, form=form)
        done.append(code)
    stdout(f"Biểu mẫu điện tử dùng thử: {len(done)} thủ tục ({', '.join(done)}).")
