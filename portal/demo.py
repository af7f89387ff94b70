"""Demo content for the portal: a few articles, this week's calendar, two feedbacks (one answered and
published), and an editor account. Loaded by seed_demo after the kernel's agencies and users; idempotent."""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.agencies.models import Agency
from portal.constants import ArticleKind, FeedbackState, FeedbackSubject
from portal.models import Article, CalendarEntry, Feedback
from portal.selectors import week_monday

ARTICLES = [
    (ArticleKind.NEWS, "tinh-day-manh-dich-vu-cong-truc-tuyen-toan-trinh",
     "Tỉnh đẩy mạnh dịch vụ công trực tuyến toàn trình",
     "Các sở, ngành và Ủy ban nhân dân cấp xã tăng tỷ lệ hồ sơ nộp và trả kết quả trực tuyến.",
     "<p>Ủy ban nhân dân tỉnh yêu cầu các cơ quan rà soát, cung cấp dịch vụ công trực tuyến toàn trình "
     "cho các thủ tục đủ điều kiện và hướng dẫn người dân nộp hồ sơ trên Cổng.</p>"),
    (ArticleKind.NEWS, "khai-truong-trung-tam-phuc-vu-hanh-chinh-cong",
     "Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ không phụ thuộc địa giới",
     "Người dân có thể nộp hồ sơ tại bất kỳ điểm tiếp nhận nào trong tỉnh.",
     "<p>Từ tháng này, Trung tâm tiếp nhận hồ sơ của mọi thủ tục thuộc thẩm quyền của tỉnh và chuyển "
     "đến cơ quan có thẩm quyền giải quyết.</p>"),
    (ArticleKind.DIRECTION, "chi-dao-giai-quyet-ho-so-dung-han",
     "Chỉ đạo giải quyết hồ sơ thủ tục hành chính đúng hạn",
     "Thủ trưởng các cơ quan chịu trách nhiệm khi hồ sơ quá hạn mà không có văn bản xin lỗi.",
     "<p>Yêu cầu các cơ quan theo dõi hạn giải quyết hằng ngày, gửi phiếu xin lỗi và hẹn lại ngày trả kết quả "
     "đúng quy định.</p>"),
]


@transaction.atomic
def demo_portal_seed(*, result, stdout=print) -> None:
    from egov.accounts.services import user_create, user_set_roles
    from portal.services.feedback import feedback_answer, feedback_publish, feedback_submit

    committee = result.province
    office = Agency.objects.filter(parent=committee, short_name="VP").first() or committee
    justice = Agency.objects.filter(parent=committee, short_name="STP").first() or committee
    editor = User.objects.filter(username="demo_editor").first()
    if editor is None:
        editor = user_create(username="demo_editor", password=result.password, roles=[Role.EDITOR], agency=committee,
                             full_name="Ngô Thị Biên", position_title="Biên tập viên Cổng thông tin", is_staff=True)
    else:
        editor.set_password(result.password)
        editor.save(update_fields=["password"])
        user_set_roles(user=editor, roles=[Role.EDITOR])
    result.users.append(editor)

    now = timezone.now()
    for index, (kind, slug, title, summary, body) in enumerate(ARTICLES):
        Article.objects.get_or_create(slug=slug, defaults={
            "kind": kind, "title": title, "summary": summary, "body": body, "editor": editor,
            "agency": office if kind == ArticleKind.DIRECTION else None, "published_at": now - timedelta(days=index + 1)})

    monday = week_monday(timezone.localdate())
    entries = [
        (0, time(8, 0), time(11, 30), "Họp giao ban Thường trực Ủy ban nhân dân tỉnh", "Phòng họp số 1",
         "Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        (2, time(14, 0), None, "Làm việc với Sở Tư pháp về chuyển đổi số hộ tịch", "Sở Tư pháp",
         "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Sở Tư pháp"),
        (4, time(8, 30), time(10, 0), "Tiếp công dân định kỳ", "Trụ sở Tiếp công dân tỉnh",
         "Chủ tịch Ủy ban nhân dân tỉnh", "Ban Tiếp công dân tỉnh"),
    ]
    for offset, start, end, content, place, participants, unit in entries:
        CalendarEntry.objects.get_or_create(agency=committee, date=monday + timedelta(days=offset), start_time=start,
                                            content=content, defaults={
                                                "end_time": end, "place": place, "participants": participants,
                                                "preparing_unit": unit, "is_published": True, "published_at": now,
                                                "created_by": editor})

    citizen = User.objects.filter(username="demo_citizen").first()
    head = User.objects.filter(agency=justice, groups__name=Role.HEAD_OF_DIVISION).first()
    if citizen is not None and not Feedback.objects.filter(sender=citizen).exists():
        from one_stop.models import Procedure

        procedure = Procedure.objects.filter(is_active=True, code="1.001193").first() or \
            Procedure.objects.filter(is_active=True).first()
        if procedure is not None:
            answered = feedback_submit(
                sender=citizen, subject_kind=FeedbackSubject.PROCEDURE, procedure=procedure, agency=justice,
                title="Hỏi về giấy tờ khi đăng ký khai sinh", consent_publish=True,
                content="Khi đăng ký khai sinh cho con, tôi có phải nộp bản sao giấy chứng nhận kết hôn không?")
            if head is not None:
                feedback_answer(feedback=answered, by=head, text=(
                    "Người đi đăng ký khai sinh chỉ xuất trình giấy chứng nhận kết hôn nếu cha mẹ của trẻ đã đăng ký "
                    "kết hôn; không phải nộp bản sao."))
                feedback_publish(feedback=Feedback.objects.get(pk=answered.pk), by=head)
        feedback_submit(sender=citizen, subject_kind=FeedbackSubject.REGULATION, agency=justice,
                        regulation="Quy định về thời gian tiếp nhận hồ sơ buổi chiều tại Bộ phận Một cửa",
                        title="Đề nghị kéo dài giờ tiếp nhận hồ sơ buổi chiều",
                        content="Đề nghị tiếp nhận hồ sơ đến 17 giờ để người đi làm có thể nộp sau giờ làm việc.")
    published = Feedback.objects.filter(state=FeedbackState.PUBLISHED).count()
    stdout(f"Cổng thông tin: {Article.objects.count()} tin bài, "
           f"{CalendarEntry.objects.filter(date__gte=monday, date__lte=monday + timedelta(days=6)).count()} lịch tuần này, "
           f"{Feedback.objects.count()} phản ánh ({published} đã công khai). Biên tập viên: demo_editor.")
