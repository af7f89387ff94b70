"""Editors' writes on news and directions: every save cleans the body and fixes a unique slug."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from egov.core.text import fold_vietnamese
from egov.core.uploads import DEFAULT_ALLOWED, validate_upload
from portal.html import sanitize_html
from portal.models import Article, ArticleAttachment

SLUG_MAX = 300


def _slug_for(article: Article) -> str:
    # fold_vietnamese turns "đ" into "d" as well, which slugify alone would drop.
    # Tags typed in a title ("<i>Tin</i> mới") are markup, not words of the address.
    base = slugify(fold_vietnamese(strip_tags(article.slug or article.title)))[:SLUG_MAX].strip("-") or "tin"
    taken = Article.objects.exclude(pk=article.pk).filter(slug__startswith=base).values_list("slug", flat=True)
    taken = set(taken)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def article_save(*, article: Article, editor) -> Article:
    """Create or update an article as the editor left it in the admin form."""
    if not (article.title or "").strip():
        raise ApplicationError("title_required", _("Nhập tiêu đề tin bài."), fields={"title": _("Bắt buộc.")})
    article.title = article.title.strip()
    article.body = sanitize_html(article.body)
    article.slug = _slug_for(article)
    if article.editor_id is None:
        article.editor = editor
    article.save()
    return article


def article_attachment_prepare(*, attachment: ArticleAttachment, upload: UploadedFile) -> ArticleAttachment:
    """Check a public file by its content and fill what the download needs (name, type, size)."""
    try:
        content_type = validate_upload(upload, allowed=DEFAULT_ALLOWED)
    except ValidationError as exc:
        raise ApplicationError("file_invalid", exc.messages[0], fields={"file": exc.messages[0]}) from exc
    attachment.original_name = (upload.name or "tep")[:255]
    attachment.content_type = content_type
    attachment.size = upload.size
    return attachment


@transaction.atomic
def article_attachment_add(*, article: Article, upload: UploadedFile) -> ArticleAttachment:
    attachment = article_attachment_prepare(attachment=ArticleAttachment(article=article), upload=upload)
    attachment.file = upload
    attachment.save()
    return attachment
