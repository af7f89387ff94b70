"""What the citizen's dossier page, the payment page and the staff page say about the fee: one amount everywhere,
before receipt too, and the right words once a dossier is closed (found on the demo by an exploratory tester)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from one_stop.models import Dossier
from one_stop.services.dossiers import dossier_act, dossier_submit_online
from public_services.payments.providers.base import IpnOutcome
from public_services.payments.services import payment_ipn_process
from tests.public_services.payments.conftest import gateway_params

pytestmark = pytest.mark.django_db


def _paid(start_payment):
    payment = start_payment()
    assert payment_ipn_process(params=gateway_params(payment)) == IpnOutcome.CONFIRMED
    payment.refresh_from_db()
    return payment


def test_before_receipt_the_dossier_page_offers_the_fee_the_payment_page_asks(client, citizen, dossier):
    assert dossier.fee_vnd is None  # the desk has not fixed it yet: the catalogue's fee applies
    client.force_login(citizen)

    page = client.get(reverse("public_services:dossier", args=[dossier.code])).content.decode()
    payment_page = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()

    assert "Thanh toán phí, lệ phí (50.000 đồng)" in page
    assert reverse("payments:dossier", args=[dossier.code]) in page
    assert "Số tiền phải nộp" in payment_page and "50.000 đồng" in payment_page


def test_the_dossier_page_reads_the_same_queries_whether_the_fee_is_fixed_or_not(client, citizen, procedure, agency):
    unfixed = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)
    fixed = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=agency)
    Dossier.objects.filter(pk=fixed.pk).update(fee_vnd=30_000)
    client.force_login(citizen)

    counts, pages = [], []
    for one in (unfixed, fixed):
        with CaptureQueriesContext(connection) as queries:
            pages.append(client.get(reverse("public_services:dossier", args=[one.code])).content.decode())
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert "Thanh toán phí, lệ phí (50.000 đồng)" in pages[0] and "Thanh toán phí, lệ phí (30.000 đồng)" in pages[1]


def test_a_withdrawn_dossier_that_had_sent_a_supplement_does_not_say_it_waits_for_the_desk(client, citizen, dossier):
    waiting = "đã gửi bổ sung, chờ Bộ phận Một cửa kiểm tra"
    Dossier.objects.filter(pk=dossier.pk).update(state="supplement_requested", supplement_submitted_at=timezone.now())
    client.force_login(citizen)
    url = reverse("public_services:dossier", args=[dossier.code])
    assert waiting in client.get(url).content.decode()

    Dossier.objects.filter(pk=dossier.pk).update(state="withdrawn")
    page = client.get(url).content.decode()

    assert "Công dân rút hồ sơ" in page and waiting not in page


def test_a_refused_paid_dossier_s_payment_page_says_paid_and_refused(client, citizen, dossier, agency_clerk, start_payment):
    paid = _paid(start_payment)
    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")
    client.force_login(citizen)

    page = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()

    assert "Số tiền phải nộp" not in page
    assert "Số tiền đã nộp" in page and f"{paid.amount_vnd:,}".replace(",", ".") + " đồng" in page
    assert "hồ sơ sau đó đã bị từ chối nên không phải nộp" in page and "hoặc đã rút" not in page


def test_a_withdrawn_paid_dossier_s_payment_page_says_withdrawn(client, citizen, dossier, start_payment):
    _paid(start_payment)
    dossier_act(dossier=dossier, user=citizen, action="withdraw", note="Không cần nữa")
    client.force_login(citizen)

    page = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()

    assert "Số tiền phải nộp" not in page and "Số tiền đã nộp" in page
    assert "hồ sơ sau đó đã được rút nên không phải nộp" in page and "đã bị từ chối" not in page


def test_an_unpaid_refused_dossier_s_payment_page_names_the_refusal_and_asks_nothing(client, citizen, dossier, agency_clerk):
    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")
    client.force_login(citizen)

    page = client.get(reverse("payments:dossier", args=[dossier.code])).content.decode()

    assert "Số tiền phải nộp" not in page and "Số tiền đã nộp" not in page
    assert "Hồ sơ đã bị từ chối, không cần nộp phí." in page and "Thanh toán trực tuyến" not in page


def test_the_staff_page_does_not_promise_receipt_for_a_refused_dossier(client, dossier, agency_clerk):
    client.force_login(agency_clerk)
    url = reverse("one_stop_staff:dossier", args=[dossier.code])
    assert "xác định khi tiếp nhận" in client.get(url).content.decode()

    dossier_act(dossier=dossier, user=agency_clerk, action="refuse", note="Không thuộc thẩm quyền")
    page = client.get(url).content.decode()

    assert "50.000 đồng" in page and "(theo danh mục, cho hình thức nộp của hồ sơ)" in page
    assert "xác định khi tiếp nhận" not in page


