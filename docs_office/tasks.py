from egov.core.tasks import egov_task


@egov_task(name="docs_office.remind_due", max_retries=0)
def assignments_remind_due_task() -> int:
    from docs_office.services.reminders import assignments_remind_due, tasks_remind_due, unassigned_remind

    # Assignments, tasks and documents to assign are told apart: a person may get one notification of each.
    return assignments_remind_due() + tasks_remind_due() + unassigned_remind()


@egov_task(name="docs_office.prune_incoming_changes", max_retries=0)
def incoming_changes_prune_task() -> int:
    from docs_office.services.changes import incoming_changes_prune

    return incoming_changes_prune()
