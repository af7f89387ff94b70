"""Dates typed into any form are read day first, in Vietnamese and in English: Django's defaults read "05/06/2026" as
6 May (month first, as in the United States), for forms without formats of their own."""

from datetime import date

import pytest
from django import forms
from django.utils import translation


class _DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("typed", "expected"), [("05/06/2026", date(2026, 6, 5)), ("2026-06-05", date(2026, 6, 5)),
                                                 ("31/12/2026", date(2026, 12, 31)), ("05-06-2026", date(2026, 6, 5))])
def test_a_typed_date_is_day_first(language, typed, expected):
    with translation.override(language):
        form = _DateForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == expected


def test_a_month_first_date_past_the_twelfth_is_refused():
    with translation.override("vi"):
        assert not _DateForm({"day": "12/31/2026"}).is_valid()
