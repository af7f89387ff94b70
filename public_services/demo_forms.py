"""Online forms of a few demo procedures (form schema version 1, see public_services/forms/schema.py).

Written for the demo from the procedures' real paper forms; a province's admins set their own.
"""

PERSON_SECTION = {
    "id": "nguoi_yeu_cau", "title": "Người yêu cầu",
    "description": "Lấy từ tài khoản đã xác thực; sửa trong trang thông tin cá nhân nếu có sai sót.",
    "fields": [
        {"name": "ho_ten", "type": "text", "label": "Họ, chữ đệm và tên", "required": True, "prefill": "full_name",
         "max_length": 150},
        {"name": "so_dinh_danh", "type": "id_number", "label": "Số định danh cá nhân", "required": True,
         "prefill": "id_number"},
        {"name": "dien_thoai", "type": "phone", "label": "Số điện thoại", "required": True, "prefill": "phone"},
        {"name": "email", "type": "email", "label": "Thư điện tử", "prefill": "email"},
        {"name": "dia_chi", "type": "text", "label": "Nơi cư trú", "required": True, "prefill": "address",
         "max_length": 300},
    ],
}

BIRTH_REGISTRATION = {
    "version": 1,
    "intro": "Tờ khai đăng ký khai sinh điện tử (thay cho tờ khai giấy khi nộp trực tuyến).",
    "sections": [
        PERSON_SECTION,
        {"id": "quan_he_section", "title": "Quan hệ với trẻ", "fields": [
            {"name": "quan_he", "type": "choice", "label": "Quan hệ với người được khai sinh", "required": True,
             "widget": "radio", "options": [
                 {"value": "cha", "label": "Cha"}, {"value": "me", "label": "Mẹ"},
                 {"value": "ong_ba", "label": "Ông, bà"}, {"value": "uy_quyen", "label": "Người được ủy quyền"}]},
            {"name": "ten_nguoi_uy_quyen", "type": "text", "label": "Họ tên người ủy quyền (cha hoặc mẹ của trẻ)",
             "required": True, "show_if": {"field": "quan_he", "equals": "uy_quyen"}},
        ]},
        {"id": "tre", "title": "Người được khai sinh", "fields": [
            {"name": "ho_ten_tre", "type": "text", "label": "Họ, chữ đệm và tên của trẻ", "required": True,
             "max_length": 150},
            {"name": "ngay_sinh", "type": "date", "label": "Ngày, tháng, năm sinh", "required": True, "past_only": True},
            {"name": "gioi_tinh", "type": "choice", "label": "Giới tính", "required": True, "widget": "radio",
             "options": [{"value": "nam", "label": "Nam"}, {"value": "nu", "label": "Nữ"}]},
            {"name": "noi_sinh", "type": "text", "label": "Nơi sinh (cơ sở y tế hoặc địa chỉ)", "required": True,
             "max_length": 300},
            {"name": "sinh_doi", "type": "checkbox", "label": "Trẻ sinh đôi, sinh ba"},
            {"name": "anh_chi_em_sinh_cung", "type": "group", "label": "Các trẻ sinh cùng lần",
             "show_if": {"field": "sinh_doi", "equals": True}, "min_items": 1, "max_items": 4, "fields": [
                 {"name": "ho_ten", "type": "text", "label": "Họ, chữ đệm và tên", "required": True},
                 {"name": "thu_tu", "type": "number", "label": "Thứ tự sinh", "integer": True, "min": 1, "max": 5,
                  "required": True}]},
        ]},
        {"id": "cha_me", "title": "Cha, mẹ của trẻ", "fields": [
            {"name": "ho_ten_me", "type": "text", "label": "Họ tên người mẹ", "required": True},
            {"name": "so_dinh_danh_me", "type": "id_number", "label": "Số định danh cá nhân của người mẹ",
             "required": True},
            {"name": "co_thong_tin_cha", "type": "checkbox", "label": "Khai thông tin người cha"},
            {"name": "ho_ten_cha", "type": "text", "label": "Họ tên người cha", "required": True,
             "show_if": {"field": "co_thong_tin_cha", "equals": True}},
            {"name": "so_dinh_danh_cha", "type": "id_number", "label": "Số định danh cá nhân của người cha",
             "required": True, "show_if": {"field": "co_thong_tin_cha", "equals": True}},
        ]},
    ],
    "uploads": [
        {"name": "giay_chung_sinh", "label": "Giấy chứng sinh (hoặc văn bản xác nhận việc sinh)", "required": True,
         "accept": ["pdf", "jpeg", "png"], "max_files": 2, "document": "Giấy chứng sinh"},
        {"name": "van_ban_uy_quyen", "label": "Văn bản ủy quyền", "required": True, "accept": ["pdf", "jpeg", "png"],
         "max_files": 1, "show_if": {"field": "quan_he", "equals": "uy_quyen"}, "document": "Văn bản ủy quyền"},
    ],
}

MARITAL_STATUS = {
    "version": 1,
    "sections": [
        PERSON_SECTION,
        {"id": "xac_nhan", "title": "Nội dung xác nhận", "fields": [
            {"name": "tinh_trang", "type": "choice", "label": "Tình trạng hôn nhân hiện tại", "required": True,
             "options": [{"value": "chua_ket_hon", "label": "Chưa đăng ký kết hôn với ai"},
                         {"value": "ly_hon", "label": "Đã ly hôn"},
                         {"value": "goa", "label": "Vợ/chồng đã chết"}]},
            {"name": "muc_dich", "type": "choice", "label": "Mục đích sử dụng", "required": True, "widget": "radio",
             "options": [{"value": "ket_hon", "label": "Để đăng ký kết hôn"}, {"value": "khac", "label": "Mục đích khác"}]},
            {"name": "ten_nguoi_ket_hon", "type": "text", "label": "Họ tên người dự định kết hôn", "required": True,
             "show_if": {"field": "muc_dich", "equals": "ket_hon"}},
            {"name": "muc_dich_khac", "type": "textarea", "label": "Ghi rõ mục đích", "required": True,
             "max_length": 500, "show_if": {"field": "muc_dich", "equals": "khac"}},
            {"name": "so_ban", "type": "number", "label": "Số bản đề nghị cấp", "integer": True, "min": 1, "max": 10,
             "required": True},
        ]},
    ],
    "uploads": [
        {"name": "giay_to_ly_hon", "label": "Bản án, quyết định ly hôn đã có hiệu lực", "required": True,
         "accept": ["pdf", "jpeg", "png"], "max_files": 3, "show_if": {"field": "tinh_trang", "equals": "ly_hon"}},
    ],
}

PERMANENT_RESIDENCE = {
    "version": 1,
    "sections": [
        PERSON_SECTION,
        {"id": "noi_dang_ky", "title": "Nơi đăng ký thường trú", "fields": [
            {"name": "dia_chi_moi", "type": "text", "label": "Địa chỉ đăng ký thường trú", "required": True,
             "max_length": 300},
            {"name": "can_cu", "type": "choice", "label": "Chỗ ở hợp pháp thuộc", "required": True, "options": [
                {"value": "so_huu", "label": "Quyền sở hữu của người đăng ký"},
                {"value": "thue_muon", "label": "Thuê, mượn, ở nhờ"},
                {"value": "nguoi_than", "label": "Nhà của người thân (vợ, chồng, cha, mẹ, con)"}]},
            {"name": "ten_chu_ho", "type": "text", "label": "Họ tên chủ hộ", "required": True,
             "show_if": {"field": "can_cu", "in": ["thue_muon", "nguoi_than"]}},
        ]},
        {"id": "thanh_vien", "title": "Thành viên hộ gia đình cùng đăng ký", "fields": [
            {"name": "thanh_vien", "type": "group", "label": "Thành viên", "max_items": 10, "fields": [
                {"name": "ho_ten", "type": "text", "label": "Họ, chữ đệm và tên", "required": True},
                {"name": "so_dinh_danh", "type": "id_number", "label": "Số định danh cá nhân", "required": True},
                {"name": "quan_he", "type": "text", "label": "Quan hệ với chủ hộ", "required": True}]},
        ]},
    ],
    "uploads": [
        {"name": "cho_o_hop_phap", "label": "Giấy tờ chứng minh chỗ ở hợp pháp", "required": True,
         "accept": ["pdf", "jpeg", "png", "docx"], "max_files": 3, "document": "Thông tin chứng minh về chỗ ở hợp pháp"},
        {"name": "dong_y_chu_ho", "label": "Văn bản đồng ý của chủ hộ", "required": True, "max_files": 1,
         "accept": ["pdf", "jpeg", "png"], "show_if": {"field": "can_cu", "in": ["thue_muon", "nguoi_than"]}},
    ],
}

UNEMPLOYMENT_BENEFIT = {
    "version": 1,
    "sections": [
        PERSON_SECTION,
        {"id": "bao_hiem", "title": "Quá trình đóng bảo hiểm thất nghiệp", "fields": [
            {"name": "so_bhxh", "type": "text", "label": "Mã số bảo hiểm xã hội", "required": True, "max_length": 10},
            {"name": "ngay_cham_dut", "type": "date", "label": "Ngày chấm dứt hợp đồng lao động", "required": True,
             "past_only": True},
            {"name": "so_thang_dong", "type": "number", "label": "Số tháng đã đóng bảo hiểm thất nghiệp",
             "integer": True, "min": 12, "max": 600, "required": True},
            {"name": "nhan_qua_tai_khoan", "type": "checkbox", "label": "Nhận trợ cấp qua tài khoản ngân hàng"},
            {"name": "so_tai_khoan", "type": "text", "label": "Số tài khoản", "required": True, "max_length": 30,
             "show_if": {"field": "nhan_qua_tai_khoan", "equals": True}},
            {"name": "ngan_hang", "type": "text", "label": "Ngân hàng", "required": True,
             "show_if": {"field": "nhan_qua_tai_khoan", "equals": True}},
        ]},
    ],
    "uploads": [
        {"name": "quyet_dinh_nghi_viec", "label": "Quyết định thôi việc hoặc văn bản chấm dứt hợp đồng lao động",
         "required": True, "accept": ["pdf", "jpeg", "png"], "max_files": 2},
    ],
}

SCHOOL_TRANSFER = {
    "version": 1,
    "sections": [
        PERSON_SECTION,
        {"id": "hoc_sinh", "title": "Học sinh chuyển trường", "fields": [
            {"name": "ho_ten_hoc_sinh", "type": "text", "label": "Họ tên học sinh", "required": True},
            {"name": "ngay_sinh_hoc_sinh", "type": "date", "label": "Ngày sinh", "required": True, "past_only": True},
            {"name": "lop", "type": "choice", "label": "Lớp", "required": True, "options": [
                {"value": "6", "label": "Lớp 6"}, {"value": "7", "label": "Lớp 7"}, {"value": "8", "label": "Lớp 8"},
                {"value": "9", "label": "Lớp 9"}]},
            {"name": "truong_di", "type": "text", "label": "Trường đang học", "required": True},
            {"name": "truong_den", "type": "text", "label": "Trường xin chuyển đến", "required": True},
            {"name": "ly_do", "type": "textarea", "label": "Lý do chuyển trường", "required": True, "max_length": 1000},
        ]},
    ],
    "uploads": [
        {"name": "hoc_ba", "label": "Học bạ", "required": True, "accept": ["pdf", "jpeg", "png"], "max_files": 3},
    ],
}

# procedure code → (form, online level to offer when the catalogue says none). The national portal
# offers birth registration, marital status and permanent residence online (một phần); the curated
# records do not say so yet.
DEMO_FORMS = {
    "1.001193": (BIRTH_REGISTRATION, "partial"),
    "1.004873": (MARITAL_STATUS, "partial"),
    "1.004222": (PERMANENT_RESIDENCE, "partial"),
    "1.001978": (UNEMPLOYMENT_BENEFIT, "full"),
    "2.002481": (SCHOOL_TRANSFER, "full"),
}
