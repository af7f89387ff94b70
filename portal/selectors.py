"""Reads of the portal's pages: what the public may see, what staff and senders may see, in constant queries."""

from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from egov.accounts.roles import Role
from egov.agencies.models import Agency, AgencyKind
from portal.constants import ArticleKind, FeedbackState
from portal.models import Article, ArticleAttachment, CalendarEntry, Feedback, FeedbackAttachment

OPEN_FEEDBACK_STATES = (FeedbackState.RECEIVED, FeedbackState.ASSIGNED)


# --- news and directions ---------------------------------------------------------------------------
def articles_published(*, kind: str | None = None, agency: Agency | None = None, now: datetime | None = None
                       ) -> QuerySet[Article]:
    """Articles the public may read: published, their time come (scheduled ones wait), newest first."""
    articles = Article.objects.filter(published_at__lte=now or timezone.now()).select_related("agency")
    if kind:
        articles = articles.filter(kind=kind)
    if agency is not None:
        articles = articles.filter(agency=agency)
    return articles.defer("body").order_by("-published_at", "-id")


def article_published(*, slug: str) -> Article | None:
    return (Article.objects.filter(slug=slug, published_at__lte=timezone.now()).select_related("agency")
            .prefetch_related("attachments").first())


def article_attachment_public(*, attachment_id: int) -> ArticleAttachment | None:
    return (ArticleAttachment.objects.filter(pk=attachment_id, article__published_at__lte=timezone.now())
            .first())


def article_agencies() -> QuerySet[Agency]:
    """Agencies with at least one published article, for the list's filter."""
    published = Article.objects.filter(agency=OuterRef("pk"), published_at__lte=timezone.now())
    return Agency.objects.filter(Exists(published)).only("id", "name", "exchange_code").order_by("name")


def agency_by_code(*, exchange_code: str) -> Agency | None:
    if not exchange_code or "\x00" in exchange_code:
        return None
    return Agency.objects.filter(exchange_code=exchange_code, is_active=True).select_related("parent").first()


def agency_public_page(*, agency: Agency) -> dict:
    """An agency's public page: its leaders, latest news and how many procedures the catalogue lists for it."""
    from egov.accounts.models import User
    from one_stop.models import Procedure

    leaders = list(User.objects.filter(agency=agency, is_active=True, groups__name=Role.LEADER)
                   .only("id", "full_name", "position_title", "username").order_by("full_name").distinct())
    # The catalogue names the implementing agency as text (its own filter, `co_quan`, matches it exactly).
    procedures = Procedure.objects.filter(is_active=True, agency_text=agency.name).count()
    return {"leaders": leaders, "articles": list(articles_published(agency=agency)[:10]),
            "procedure_count": procedures}


# --- leaders' work calendar ------------------------------------------------------------------------
def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar_week(*, monday: date, agency: Agency | None = None) -> list[CalendarEntry]:
    """The published entries of the week Monday–Sunday (cancelled ones included: the page strikes them)."""
    entries = (CalendarEntry.objects.filter(is_published=True, date__gte=monday, date__lte=monday + timedelta(days=6))
               .select_related("agency").order_by("date", "start_time", "id"))
    if agency is not None:
        entries = entries.filter(agency=agency)
    return list(entries)


def calendar_agencies() -> QuerySet[Agency]:
    """Agencies that publish a calendar, for the page's filter (the province's committee first)."""
    published = CalendarEntry.objects.filter(agency=OuterRef("pk"), is_published=True)
    return (Agency.objects.filter(Exists(published)).only("id", "name", "exchange_code", "kind")
            .annotate(is_committee=Case(When(kind=AgencyKind.PROVINCIAL_COMMITTEE, then=Value(True)), default=Value(False),
                                        output_field=BooleanField()))
            .order_by("-is_committee", "name"))


# --- feedback and petitions ------------------------------------------------------------------------
# What the public page may read: never the sender, their contact, their title or attachments.
# The regulation is the sender's own words: staff carry it into the published question when it helps.
PUBLIC_FEEDBACK_FIELDS = ("id", "public_id", "subject_kind", "public_question", "answer", "received_at",
                          "answered_at", "published_at", "agency__id", "agency__name", "agency__exchange_code",
                          "procedure__id", "procedure__code", "procedure__name", "state")


def feedbacks_published() -> QuerySet[Feedback]:
    return (Feedback.objects.filter(state=FeedbackState.PUBLISHED, consent_publish=True, published_at__isnull=False)
            .select_related("agency", "procedure").only(*PUBLIC_FEEDBACK_FIELDS).order_by("-published_at", "-id"))


def feedbacks_of_sender(*, user) -> QuerySet[Feedback]:
    return Feedback.objects.filter(sender=user).select_related("agency", "procedure").order_by("-received_at", "-id")


def feedback_of_sender(*, user, public_id) -> Feedback | None:
    return (feedbacks_of_sender(user=user).filter(public_id=public_id)
            .prefetch_related("attachments", Prefetch("events", queryset=_events())).first())


def _events():
    from portal.models import FeedbackEvent

    return FeedbackEvent.objects.select_related("actor").order_by("at", "id")


def _with_overdue(feedbacks: QuerySet[Feedback], now: datetime) -> QuerySet[Feedback]:
    return feedbacks.annotate(is_overdue=Case(
        When(Q(state__in=OPEN_FEEDBACK_STATES, due_at__lt=now), then=Value(True)), default=Value(False),
        output_field=BooleanField()))


def feedbacks_for_staff(*, user, state: str = "", now: datetime | None = None) -> QuerySet[Feedback]:
    """The feedback of the staff member's agency only; overdue ones annotated, open ones first by due date."""
    if not (user.is_authenticated and user.is_agency_staff and user.agency_id):
        return Feedback.objects.none()
    feedbacks = Feedback.objects.filter(agency_id=user.agency_id)
    if state in FeedbackState.values:
        feedbacks = feedbacks.filter(state=state)
    feedbacks = _with_overdue(feedbacks, now or timezone.now()).select_related("procedure", "assigned_to", "sender")
    is_open = Case(When(state__in=OPEN_FEEDBACK_STATES, then=Value(0)), default=Value(1))
    return feedbacks.order_by(is_open, "due_at", "-id")


def feedback_for_staff(*, user, pk: int) -> Feedback | None:
    return (feedbacks_for_staff(user=user).filter(pk=pk).select_related("agency", "answered_by")
            .prefetch_related("attachments", Prefetch("events", queryset=_events())).first())


def feedback_attachment_for(*, user, attachment_id: int) -> FeedbackAttachment | None:
    """A private attachment for its sender or the competent agency's staff; None for anyone else."""
    if not user.is_authenticated:
        return None
    attachment = FeedbackAttachment.objects.select_related("feedback").filter(pk=attachment_id).first()
    if attachment is None:
        return None
    feedback = attachment.feedback
    if feedback.sender_id == user.pk or (user.is_agency_staff and user.agency_id == feedback.agency_id):
        return attachment
    return None


def feedback_overdue(*, agency: Agency | None = None, now: datetime | None = None) -> QuerySet[Feedback]:
    """Feedback still unanswered past its due date, oldest due first (the leaders' dashboard reads this)."""
    feedbacks = Feedback.objects.filter(state__in=OPEN_FEEDBACK_STATES, due_at__lt=now or timezone.now())
    if agency is not None:
        feedbacks = feedbacks.filter(agency=agency)
    return feedbacks.select_related("agency", "procedure").order_by("due_at", "id")


def agency_staff_for_assignment(*, agency_id: int) -> QuerySet:
    from egov.accounts.models import User

    staff_roles = [str(r) for r in Role if r != Role.CITIZEN]
    return (User.objects.filter(agency_id=agency_id, is_active=True, groups__name__in=staff_roles)
            .only("id", "full_name", "username", "position_title").distinct().order_by("full_name"))


# --- the home page -----------------------------------------------------------------------------------
def home_context(request) -> dict:
    """What the kernel's home page shows from the portal: three queries whatever the row counts."""
    today = timezone.localdate()
    monday = week_monday(today)
    entries = (CalendarEntry.objects.filter(is_published=True, date__gte=today, date__lte=monday + timedelta(days=6))
               .select_related("agency").order_by("date", "start_time", "id")[:10])
    return {
        "portal_home": True,
        "home_news": list(articles_published(kind=ArticleKind.NEWS)[:5]),
        "home_directions": list(articles_published(kind=ArticleKind.DIRECTION)[:5]),
        "home_calendar": list(entries),
        "home_week": f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
    }
