from egov.core.tasks import egov_task


@egov_task(name="one_stop.remind_due", max_retries=0)
def dossiers_remind_due_task() -> int:
    from one_stop.services.reminders import dossiers_remind_due

    return dossiers_remind_due()


@egov_task(name="one_stop.prune_queue_changes", max_retries=0)
def queue_changes_prune_task() -> int:
    from one_stop.services.queue_changes import queue_changes_prune

    return queue_changes_prune()
