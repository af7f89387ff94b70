from egov.core.tasks import egov_task


@egov_task(name="one_stop.remind_due", max_retries=0)
def dossiers_remind_due_task() -> int:
    from one_stop.services.reminders import dossiers_remind_due

    return dossiers_remind_due()
