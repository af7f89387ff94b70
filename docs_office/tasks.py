from egov.core.tasks import egov_task


@egov_task(name="docs_office.remind_due", max_retries=0)
def assignments_remind_due_task() -> int:
    from docs_office.services.reminders import assignments_remind_due

    return assignments_remind_due()
