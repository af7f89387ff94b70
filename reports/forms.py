from django import forms
from django.utils.translation import gettext_lazy as _

from reports import selectors

# A custom period longer than this would be a full-table scan for the live part; years have their own kind.
MAX_CUSTOM_DAYS = 3 * 366


class PeriodForm(forms.Form):
    """The period of a statistics page, from the query string (every field optional; default: this month)."""

    ky = forms.ChoiceField(label=_("Kỳ báo cáo"), required=False, choices=[
        ("thang", _("Tháng")), ("quy", _("Quý")), ("nam", _("Năm")), ("tuy-chon", _("Tùy chọn"))])
    nam = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    thang = forms.IntegerField(label=_("Tháng"), required=False, min_value=1, max_value=12)
    quy = forms.IntegerField(label=_("Quý"), required=False, min_value=1, max_value=4)
    tu = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    den = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        today = selectors.today()
        kind, year = data.get("ky") or "thang", data.get("nam") or today.year
        if kind == "tuy-chon":
            start, end = data.get("tu"), data.get("den")
            if not start or not end:
                raise forms.ValidationError(_("Chọn cả ngày bắt đầu và ngày kết thúc."))
            # The same years as the year field: a day of year 9999 overflowed into a 500, year 1 read nothing.
            for name, day in (("tu", start), ("den", end)):
                if not 2000 <= day.year <= 2100:
                    self.add_error(name, _("Chọn ngày trong các năm 2000–2100."))
            if self.errors:
                return data
            if end < start:
                self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
                return data
            if (end - start).days > MAX_CUSTOM_DAYS:
                self.add_error("den", _("Khoảng thời gian tùy chọn tối đa 3 năm; hãy chọn theo năm."))
                return data
            data["period"] = selectors.period_custom(start, end)
        elif kind == "nam":
            data["period"] = selectors.period_year(year)
        elif kind == "quy":
            data["period"] = selectors.period_quarter(year, data.get("quy") or (today.month - 1) // 3 + 1)
        else:
            data["period"] = selectors.period_month(year, data.get("thang") or today.month)
        data["ky"] = kind
        return data


def period_from(request) -> tuple[PeriodForm, "selectors.Period | None"]:
    form = PeriodForm(request.GET or None)
    if not request.GET:
        today = selectors.today()
        return PeriodForm(initial={"ky": "thang", "nam": today.year, "thang": today.month}), \
            selectors.period_month(today.year, today.month)
    if form.is_valid():
        return form, form.cleaned_data["period"]
    return form, None

