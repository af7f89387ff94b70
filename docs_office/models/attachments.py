from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomingAttachment(models.Model):
    """An appendix (phụ lục) of an incoming document, in a file of its own; the main text stays in `file`."""

    document = models.ForeignKey("docs_office.IncomingDocument", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="docs_office/incoming/attachments/%Y/%m/")
    # The sender's or scanner's name, shown to readers only: the file is stored and served under a name of ours.
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thêm"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("thêm lúc"))

    class Meta:
        verbose_name = _("tệp đính kèm văn bản đến")
        verbose_name_plural = _("tệp đính kèm văn bản đến")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.original_name or f"{self.document_id}/{self.pk}"


class OutgoingAttachment(models.Model):
    """An appendix of an outgoing document, a PDF of its own: at issue it gets the agency's signature without
    image, top right of page 1, with number, symbol and signing time (Decree 30, appendix I)."""

    document = models.ForeignKey("docs_office.OutgoingDocument", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="docs_office/outgoing/attachments/%Y/%m/")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thêm"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("thêm lúc"))
    signature = models.ForeignKey("signatures.SignatureRequest", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    signed_file = models.FileField(_("bản đã ký số"), upload_to="docs_office/outgoing/attachments/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("phụ lục văn bản đi")
        verbose_name_plural = _("phụ lục văn bản đi")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.original_name or f"{self.document_id}/{self.pk}"
