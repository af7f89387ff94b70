from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.state_labels import StateLabels


class DocumentEvent(StateLabels, models.Model):
    """Append-only history of a document's flow: every step, who, when, from which state to which, with a note
    (the reviewer's comments, a return's reason). Incoming and outgoing documents each have their table."""

    action = models.CharField(_("thao tác"), max_length=30)
    from_state = models.CharField(_("từ trạng thái"), max_length=20, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("lúc"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    # Each history table names the labels of its steps and the states its rows move between.
    ACTIONS: dict = {}
    STATES: type[models.TextChoices]

    def __str__(self) -> str:
        return f"{self.document_id} {self.action}"

    @property
    def action_label(self) -> str:
        return str(self.ACTIONS.get(self.action, self.action))
