"""Amounts in Vietnamese words, as a receipt writes them: 50.000 → "Năm mươi nghìn đồng"."""

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu"]  # after "triệu" the scale restarts under "tỷ"


def _three_digits(number: int, *, full: bool) -> list[str]:
    """Read 0–999. `full`: a lower group after a higher one ("không trăm", "lẻ")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def _below_billion(number: int, *, full: bool) -> list[str]:
    groups = [number // 1_000_000 % 1000, number // 1000 % 1000, number % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _three_digits(group, full=full or bool(words))
        if SCALES[2 - index]:
            words.append(SCALES[2 - index])
    return words


def _read(number: int, *, full: bool = False) -> list[str]:
    billions, rest = divmod(number, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += _read(billions, full=full) + ["tỷ"]
    if rest:
        words += _below_billion(rest, full=full or bool(words))
    return words


def vnd_in_words(amount: int) -> str:
    if amount < 0:
        raise ValueError("amount must not be negative")
    words = _read(amount) if amount else ["không"]
    text = " ".join(words + ["đồng"])
    return text[0].upper() + text[1:]
