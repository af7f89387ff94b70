"""Vietnamese identity and contact formats."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# First three digits of a 12-digit personal identification number (CCCD, Circular 59/2021/TT-BCA):
# the code of the province where the birth was registered (the GSO codes of the 63 provinces before
# the 2025 merger; numbers issued before then keep them).
PROVINCE_BIRTH_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 "
    "037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 "
    "077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)

MOBILE_RE = re.compile(r"^0(3[2-9]|5[2-9]|7[06-9]|8[1-9]|9\d)\d{7}$", re.ASCII)  # ASCII: \d is any script's digit
LANDLINE_RE = re.compile(r"^02\d{9}$", re.ASCII)


def normalize_national_id(value: str) -> str:
    """Full-width digits (０２０…, typed with a Japanese or Chinese input method on) become ASCII; spaces go."""
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_national_id(value: str) -> None:
    # [0-9], not \d: \d also matches full-width and other scripts' digits, which then failed as a province code.
    if not re.fullmatch(r"[0-9]{12}", value or ""):
        raise ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="national_id_format")
    if value[:3] not in PROVINCE_BIRTH_CODES:
        raise ValidationError(
            _("Số định danh cá nhân không hợp lệ: ba chữ số đầu (%(code)s) không phải mã tỉnh, thành phố."),
            code="national_id_province", params={"code": value[:3]},
        )


def normalize_phone(value: str) -> str:
    """'+84 912 345 678', '84912345678', '0912.345.678' → '0912345678'."""
    digits = re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_mobile_phone(value: str) -> None:
    """A mobile number only: where the portal texts a one-time code (a citizen's sign-up or new phone), a
    landline would leave an account that can never be activated or confirmed."""
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _("Số điện thoại di động không hợp lệ: cần 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
              "(ví dụ 0912345678), hoặc viết dạng +84…"),
            code="mobile_format",
        )


def validate_phone(value: str) -> None:
    phone = normalize_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            _("Số điện thoại không hợp lệ: cần 10 chữ số bắt đầu bằng 0 (di động, ví dụ 0912345678) "
              "hoặc 11 chữ số bắt đầu bằng 02 (cố định)."),
            code="phone_format",
        )


# A tax code (mã số thuế) of an organisation: 10 digits, or 10 digits, "-" and 3 for a dependent unit (a branch), the
# structure kept by Circular 105/2020/TT-BTC. The tenth digit checks the first nine (Decision 75/1998/QĐ-TCT): 10 less
# the weighted sum modulo 11; a sum leaving 0 would need a check digit of 10, so no code is issued from it.
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
TAX_CODE_RE = re.compile(r"[0-9]{10}(?:-[0-9]{3})?")
# Since 1 July 2025 a household business (hộ kinh doanh), like an individual, uses its owner's 12-digit personal
# identification number as its tax code (Circular 86/2024/TT-BTC): accepted as it is, it carries no check digit.
PERSONAL_TAX_CODE_RE = re.compile(r"[0-9]{12}")


def normalize_tax_code(value: str) -> str:
    """Full-width digits become ASCII, spaces and dots go ('0100 112 437', '0100.112.437'); a 13-digit code typed
    without its "-" gets it back ('0100112437001' → '0100112437-001')."""
    code = re.sub(r"[\s.]", "", unicodedata.normalize("NFKC", value or ""))
    if re.fullmatch(r"[0-9]{13}", code):
        code = f"{code[:10]}-{code[10:]}"
    return code


def validate_tax_code(value: str) -> None:
    code = normalize_tax_code(value)
    if PERSONAL_TAX_CODE_RE.fullmatch(code):
        return
    if not TAX_CODE_RE.fullmatch(code):
        raise ValidationError(_("Mã số thuế của tổ chức gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số với đơn vị "
                                "phụ thuộc (ví dụ 0100112437 hoặc 0100112437-001); hộ kinh doanh dùng số định danh cá nhân "
                                "12 chữ số của chủ hộ."), code="tax_code_format")
    check = 10 - sum(int(digit) * weight for digit, weight in zip(code[:9], TAX_CODE_WEIGHTS, strict=True)) % 11
    if check != int(code[9]):
        raise ValidationError(_("Mã số thuế không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không khớp. Hãy đối chiếu lại "
                                "với giấy chứng nhận đăng ký."), code="tax_code_check")
