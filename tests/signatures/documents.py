"""A Vietnamese administrative document in the Decree 30 layout, rendered by WeasyPrint, with the
position of its signature block (an anchor on the block) in PDF points."""

import io

DECISION_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Liberation Serif", "Times New Roman", serif; font-size: 13pt; }
table.head { width: 100%; text-align: center; }
.motto { font-weight: bold; }
h1 { text-align: center; font-size: 14pt; margin: 18pt 0 0; }
.summary { text-align: center; font-weight: bold; }
.sign { width: 45%; margin-left: 55%; text-align: center; margin-top: 24pt; }
#chu-ky-lanh-dao { height: 75pt; }
</style></head><body>
<table class="head"><tr><td>ỦY BAN NHÂN DÂN<br><b>TỈNH LẠNG SƠN</b></td>
<td class="motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</td></tr>
<tr><td>Số: 15/QĐ-UBND</td><td><i>Lạng Sơn, ngày 23 tháng 11 năm 2026</i></td></tr></table>
<h1>QUYẾT ĐỊNH</h1>
<p class="summary">Về việc phê duyệt danh mục thủ tục hành chính thực hiện tại Bộ phận Một cửa</p>
<p>Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020
của Chính phủ về công tác văn thư; xét đề nghị của Giám đốc Sở Tư pháp, Ủy ban nhân dân tỉnh quyết định:</p>
<p><b>Điều 1.</b> Phê duyệt danh mục thủ tục hành chính được tiếp nhận và trả kết quả tại Trung tâm Phục vụ
hành chính công tỉnh Lạng Sơn, gồm các lĩnh vực: hộ tịch, chứng thực, đất đai, xây dựng.</p>
<p><b>Điều 2.</b> Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Giám đốc các sở, ngành và
Chủ tịch Ủy ban nhân dân các xã, phường chịu trách nhiệm thi hành Quyết định này.</p>
<div class="sign"><b>TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH</b><div id="chu-ky-lanh-dao"></div><b>Hoàng Văn Nam</b></div>
</body></html>"""

CSS_PX_TO_PT = 0.75


def render_decision() -> tuple[bytes, int, tuple[float, float, float, float]]:
    """The PDF, the page index of the signature block and the leader's signature box in points."""
    from weasyprint import HTML

    document = HTML(string=DECISION_HTML).render()
    for index, page in enumerate(document.pages):
        if "chu-ky-lanh-dao" in page.anchors:
            # WeasyPrint gives the anchored element's box in CSS px from the top-left corner.
            left, top, right, bottom = (v * CSS_PX_TO_PT for v in page.anchors["chu-ky-lanh-dao"])
            page_height = page.height * CSS_PX_TO_PT
            centre = (left + right) / 2
            box = (centre - 85, page_height - bottom, centre + 85, page_height - top)
            out = io.BytesIO()
            document.write_pdf(out)
            return out.getvalue(), index, box
    raise AssertionError("no signature anchor in the rendered document")
