import pytest
from django.urls import reverse

from one_stop.catalogue.data import ChannelTerms
from tests.public_services.conftest import make_procedure

pytestmark = pytest.mark.django_db


def test_an_unaccented_search_finds_the_procedure_and_ranks_name_matches_first(client, birth_procedure):
    # "khai sinh" also appears in this one's legal basis only: it ranks after the name match.
    make_procedure(code="9.000001", name="Cấp bản sao trích lục", legal_basis="Nghị định về đăng ký khai sinh")
    make_procedure(code="9.000002", name="Cấp giấy phép xây dựng")

    response = client.get(reverse("public_services:catalogue"), {"q": "DANG KY khai sinh"})

    names = [p.name for p in response.context["page"].object_list]
    assert names == ["Thủ tục đăng ký khai sinh", "Cấp bản sao trích lục"]
    assert "Thủ tục đăng ký khai sinh" in response.content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ("dang ky thuong tru", ["1.004222", "1.004223", "1.003197"]),
    ("TRO CAP THAT NGHIEP", ["1.001978", "1.001601"]),  # neither equals nor starts with it: the shorter name first
])
def test_a_name_equal_to_the_search_comes_first_then_names_starting_with_it(client, query, expected):
    make_procedure(code="1.003197", name="Xóa đăng ký thường trú")
    make_procedure(code="1.004223", name="Đăng ký thường trú cho người chưa thành niên")
    make_procedure(code="1.004222", name="Đăng ký thường trú")
    make_procedure(code="1.001601", name="Thông báo tìm kiếm việc làm hằng tháng khi hưởng trợ cấp thất nghiệp")
    make_procedure(code="1.001978", name="Giải quyết trợ cấp thất nghiệp")

    page = client.get(reverse("public_services:catalogue"), {"q": query}).context["page"]
    api = client.get("/api/v1/procedures/", {"search": query}).json()

    assert [p.code for p in page.object_list] == expected
    assert [p["code"] for p in api["results"]] == expected


def test_filters_by_field_online_level_level_and_agency(client, birth_procedure):
    make_procedure(code="9.000003", name="Cấp giấy phép xây dựng", field="Xây dựng", levels=["province"],
                   agency="Sở Xây dựng")
    url = reverse("public_services:catalogue")

    def codes(**params):
        return [p.code for p in client.get(url, params).context["page"].object_list]

    assert codes(linh_vuc="Xây dựng") == ["9.000003"]
    assert codes(muc_do="partial") == ["1.001193"]
    assert codes(cap="province") == ["9.000003"]
    assert codes(co_quan="Sở Xây dựng") == ["9.000003"]
    assert codes(muc_do="khong-co") == ["1.001193", "9.000003"]  # an unknown level is ignored, not an error


def test_the_catalogue_costs_the_same_queries_for_one_or_many_procedures(client, django_assert_max_num_queries,
                                                                          birth_procedure):
    url = reverse("public_services:catalogue")
    with django_assert_max_num_queries(6) as one:
        client.get(url, {"q": "khai sinh"})
    first = len(one.captured_queries)
    for n in range(30):
        make_procedure(code=f"8.{n:06d}", name=f"Đăng ký khai sinh loại {n}", field=f"Lĩnh vực {n}",
                       agency=f"Cơ quan {n}", channels=[ChannelTerms(channel="online", processing_days=3, fee_vnd=n),
                                                        ChannelTerms(channel="counter", processing_days=5, fee_vnd=n + 1)])
    with django_assert_max_num_queries(first):
        response = client.get(url, {"q": "khai sinh", "trang": "2"})
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 11
    assert "Trực tuyến: 3 ngày làm việc · Trực tiếp: 5 ngày làm việc" in response.content.decode()


def test_the_list_names_each_channels_fee_and_time_limit_online_first_where_they_differ(client, birth_procedure):
    make_procedure(code="9.000010", name="Cấp giấy phép xây dựng", fee_vnd=50000, processing_days=7, channels=[
        ChannelTerms(channel="counter", processing_days=7, fee_vnd=50000),
        ChannelTerms(channel="post", processing_text="Theo bưu điện"),
        ChannelTerms(channel="online", processing_days=5, fee_vnd=0)])
    make_procedure(code="9.000011", name="Cấp giấy phép khai thác", fee_vnd=20000, processing_days=3, channels=[
        ChannelTerms(channel="counter", processing_days=3, fee_vnd=20000),
        ChannelTerms(channel="online", processing_days=3, fee_vnd=20000)])

    response = client.get(reverse("public_services:catalogue"), {"q": "cap giay phep"})

    items = response.content.decode().split('class="procedure-item"')[1:]
    building, mining = (next(item for item in items if code in item) for code in ("9.000010", "9.000011"))
    assert "Trực tuyến: Miễn phí · Trực tiếp: 50.000 đồng</span>" in building
    assert "Trực tuyến: 5 ngày làm việc · Trực tiếp: 7 ngày làm việc</span>" in building
    # The same fee and time limit on every channel: said once, as before.
    assert "Phí 20.000 đồng" in mining and "channel-terms" not in mining
    assert "<span>3 ngày làm việc</span>" in mining


def test_a_page_number_out_of_range_shows_the_last_page(client, birth_procedure):
    response = client.get(reverse("public_services:catalogue"), {"trang": "99"})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_the_procedure_page_says_what_to_bring_how_long_what_it_costs_and_where(client, birth_procedure, commune):
    response = client.get(reverse("public_services:procedure", args=["1.001193"]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "1 ngày làm việc", "Miễn phí",
                 "Ủy ban nhân dân Phường Đông Kinh", "Luật Hộ tịch 2014", "Giấy khai sinh",
                 "Dịch vụ công trực tuyến một phần", "Tải mẫu Mau To khai.docx"):
        assert text in body, text
    documents = response.context["documents"]
    assert (documents[1]["originals"], documents[1]["copies_count"]) == (1, 2)


def test_an_unknown_or_inactive_procedure_is_404(client, birth_procedure):
    birth_procedure.is_active = False
    birth_procedure.save(update_fields=["is_active"])
    assert client.get(reverse("public_services:procedure", args=["1.001193"])).status_code == 404
    assert client.get(reverse("public_services:procedure", args=["no-such"])).status_code == 404


def test_the_site_home_offers_the_catalogue_search(client):
    body = client.get(reverse("home")).content.decode()
    assert reverse("public_services:catalogue") in body


@pytest.mark.parametrize("params", [{"q": "x" * 5000}, {"trang": "-1"}, {"linh_vuc": "' OR 1=1 --"}])
def test_hostile_search_parameters_answer_a_page_not_a_500(client, birth_procedure, params):
    assert client.get(reverse("public_services:catalogue"), params).status_code == 200


@pytest.mark.parametrize("params", [{"q": "khai\x00sinh"}, {"linh_vuc": "\x00"}, {"co_quan": "\x00"},
                                    {"trang": "\x00"}])
def test_a_nul_in_a_search_parameter_is_a_400_not_a_500(client, birth_procedure, params):
    # Refused for every page by egov.core.middleware.NulCharacterMiddleware (PostgreSQL cannot store U+0000).
    assert client.get(reverse("public_services:catalogue"), params).status_code == 400


def test_a_nul_in_a_procedure_or_dossier_code_is_a_400_not_a_500(client, birth_procedure, citizen):
    assert client.get("/dich-vu-cong/thu-tuc/1.0%00/").status_code == 400
    client.force_login(citizen)
    assert client.get("/dich-vu-cong/ho-so-cua-toi/a%00b/").status_code == 400


def test_a_channels_row_repeated_word_for_word_is_shown_once_distinct_rows_of_a_channel_stay(client, birth_procedure):
    # 1.000028 in the national catalogue: "Trực tiếp: 1 ngày làm việc · Trực tiếp: 1 ngày làm việc".
    make_procedure(code="9.000012", name="Cấp giấy phép lặp", fee_vnd=0, processing_days=1, channels=[
        ChannelTerms(channel="counter", processing_days=1, processing_text="1 Ngày làm việc", fee_vnd=0),
        ChannelTerms(channel="counter", processing_days=1, processing_text="1 Ngày làm việc", fee_vnd=0),
        ChannelTerms(channel="online", processing_days=2, fee_vnd=0),
        ChannelTerms(channel="post", processing_days=3, fee_vnd=0),
        ChannelTerms(channel="post", processing_days=5, fee_vnd=0)])

    listed = client.get(reverse("public_services:catalogue"), {"q": "cap giay phep lap"}).content.decode()
    page = client.get(reverse("public_services:procedure", args=["9.000012"]))

    assert ("Trực tuyến: 2 ngày làm việc · Trực tiếp: 1 ngày làm việc · Dịch vụ bưu chính: 3 ngày làm việc"
            " · Dịch vụ bưu chính: 5 ngày làm việc</span>") in listed
    assert "Trực tiếp: 1 ngày làm việc; Dịch vụ bưu chính" in page.content.decode()
    assert [(c["channel"], c["processing_days"]) for c in page.context["channels"]] == [
        ("online", 2), ("counter", 1), ("post", 3), ("post", 5)]
    assert [c["channel"] for c in page.context["timed_channels"]] == ["online", "counter", "post", "post"]
