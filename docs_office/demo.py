"""Demo eOffice data: registers and divisions for the demo agencies (idempotent; seed_demo only)."""

from django.db import transaction

from docs_office.constants import RegisterKind
from docs_office.models import Division, DocumentType
from docs_office.services.registers import register_create
from egov.accounts.models import User
from egov.agencies.models import Agency, AgencyKind

# Legal normative documents have their own series (Decree 30): the committee keeps a register for
# decisions and resolutions apart from the general one.
NORMATIVE_TYPES = ["quyet-dinh", "nghi-quyet", "chi-thi"]


@transaction.atomic
def demo_office_seed(*, stdout=print) -> int:
    agencies = list(Agency.objects.filter(kind__in=[AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.DEPARTMENT]))
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).order_by("exchange_code")[:3])
    for agency in [*agencies, *communes]:
        register_create(agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến")
        register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi")
        if agency.kind == AgencyKind.PROVINCIAL_COMMITTEE:
            register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ quyết định, nghị quyết, chỉ thị",
                            document_types=DocumentType.objects.filter(code__in=NORMATIVE_TYPES))
    stp = Agency.objects.filter(kind=AgencyKind.DEPARTMENT, short_name="STP").first()
    if stp is not None:
        division, _created = Division.objects.get_or_create(agency=stp, short_name="HCTP",
                                                            defaults={"name": "Phòng Hành chính tư pháp"})
        division.members.add(*User.objects.filter(username__in=["demo_specialist", "demo_head"]))
    stdout(f"eOffice: sổ văn bản cho {len(agencies) + len(communes)} cơ quan")
    if stp is not None:
        demo_office_documents_seed(agency=stp, stdout=stdout)
    return len(agencies) + len(communes)


# The demo department's documents, one per step a newcomer should find on their screen: (number, symbol, issuer,
# its parent, type code, summary, days before today it was issued, urgency, deadline in working days or None).
DEMO_INCOMING = [
    ("4512", "BTP-HTQTCT", "Bộ Tư pháp", "", "cong-van",
     "hướng dẫn thực hiện liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi",
     6, "normal", 10),
    ("215", "KH-UBND", "Ủy ban nhân dân tỉnh Lạng Sơn", "", "ke-hoach",
     "Triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử năm 2027",
     2, "urgent", 3),
    ("38", "TB-VP", "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn", "thong-bao",
     "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp giao ban tháng 11 năm 2026",
     1, "normal", None),
]
DEMO_BODY = [
    "Thực hiện chỉ đạo của cấp có thẩm quyền, đề nghị các cơ quan, đơn vị nghiên cứu, triển khai thực hiện các nội "
    "dung nêu tại văn bản này theo chức năng, nhiệm vụ được giao.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời về cơ quan ban hành để được "
    "hướng dẫn, giải quyết./.",
]


def _demo_scan(*, number, symbol, issuer, parent, document_type, summary, issued_on) -> bytes:
    from egov.core.pdf import render_pdf

    return render_pdf("docs_office/pdf/demo_scan.html", {
        "number": number, "symbol": symbol, "issuer": issuer, "parent": parent, "summary": summary,
        "type_name": document_type.name, "type_abbreviation": document_type.abbreviation, "issued_on": issued_on,
        "place": "Hà Nội" if issuer.startswith("Bộ") else "Lạng Sơn", "paragraphs": DEMO_BODY,
        "signer_title": "KT. Bộ trưởng" if issuer.startswith("Bộ") else "Chủ tịch", "signer": "Nguyễn Văn Minh"})


def demo_office_documents_seed(*, agency, stdout=print) -> int:
    """Incoming documents at each step (waiting for assignment, assigned, being handled) and a draft answer waiting for
    the head of division, made through the services as the demo users would make them; once per database."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from docs_office.constants import AssignmentRole
    from docs_office.models import IncomingDocument
    from docs_office.pdf.compose import Composition
    from docs_office.services.incoming import (
        AssignmentData,
        IncomingData,
        incoming_assign,
        incoming_opinion_add,
        incoming_register_scan,
    )
    from docs_office.services.outgoing import outgoing_create, outgoing_review
    from egov.workdays.services import add_working_days

    if IncomingDocument.objects.filter(agency=agency).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(agency=agency, username__in=[
        "demo_records_clerk", "demo_leader", "demo_head", "demo_specialist"])}
    if len(users) < 4:
        return 0
    clerk, leader, head, specialist = (users[n] for n in ("demo_records_clerk", "demo_leader", "demo_head",
                                                           "demo_specialist"))
    division = Division.objects.filter(agency=agency, short_name="HCTP").first()
    types = {t.code: t for t in DocumentType.objects.filter(code__in={row[4] for row in DEMO_INCOMING})}
    today = timezone.localdate()
    documents = []
    for number, symbol, issuer, parent, type_code, summary, age, urgency, days in DEMO_INCOMING:
        issued_on = today - timedelta(days=age)
        scan = _demo_scan(number=number, symbol=symbol, issuer=issuer, parent=parent, document_type=types[type_code],
                          summary=summary, issued_on=issued_on)
        documents.append(incoming_register_scan(clerk=clerk, data=IncomingData(
            number=number, symbol=symbol, issuer_name=issuer, issued_on=issued_on, document_type=types[type_code],
            summary=summary, signer_name="Nguyễn Văn Minh", page_count=1, urgency=urgency,
            deadline=add_working_days(today, days) if days else None,
        ), upload=SimpleUploadedFile("scan.pdf", scan, content_type="application/pdf")))
    # The ministry's guidance: assigned to the specialist, who has started on it; the others wait for the leader.
    guidance = documents[0]
    incoming_assign(leader=leader, document=guidance, assignments=[
        AssignmentData(role=AssignmentRole.LEAD, user=specialist, deadline=add_working_days(today, 7),
                       instruction="Nghiên cứu, tham mưu văn bản hướng dẫn Ủy ban nhân dân các xã, phường."),
        AssignmentData(role=AssignmentRole.SUPPORT, division=division, deadline=add_working_days(today, 7)),
        AssignmentData(role=AssignmentRole.INFO, user=head),
    ])
    incoming_opinion_add(user=specialist, document=guidance, progress=30,
                         text="Đã rà soát quy trình liên thông hiện hành; đang dự thảo công văn hướng dẫn.")
    draft = outgoing_create(
        drafter=specialist, document_type=DocumentType.objects.get(code="cong-van"), division=division,
        summary="hướng dẫn thực hiện liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế",
        answers=guidance, recipients_text="Như kính gửi;\nLưu: VT, HCTP.",
        composition=Composition(
            body="Kính gửi: Ủy ban nhân dân các xã, phường.\nThực hiện Công văn số 4512/BTP-HTQTCT của Bộ Tư pháp, Sở "
                 "Tư pháp hướng dẫn Ủy ban nhân dân các xã, phường thực hiện liên thông các thủ tục hành chính đối với "
                 "trẻ dưới 6 tuổi như sau: tiếp nhận hồ sơ trực tuyến trên Cổng Dịch vụ công, giải quyết trong thời hạn "
                 "quy định và trả kết quả điện tử cho người dân./.",
            # Signed by the department's one leader, the director, in his own name: the block names who signs
            # (Decree 30), and signing refuses a leader the block does not name.
            place="Lạng Sơn", signer_title="GIÁM ĐỐC", signer_name=leader.full_name,
            recipients=["Như kính gửi", "Lưu: VT, HCTP"]))
    outgoing_review(user=specialist, document=draft, action="submit")
    stdout(f"eOffice: {len(documents)} văn bản đến và 1 dự thảo chờ lãnh đạo phòng duyệt tại {agency.name} "
           f"(vào sổ: demo_records_clerk; phân công: demo_leader; xử lý: demo_specialist; duyệt: demo_head)")
    return len(documents)
