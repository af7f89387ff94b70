"""Password rules of the portal on top of Django's."""

import re
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator, exceeds_maximum_length_ratio
from django.core.exceptions import FieldDoesNotExist, ValidationError


class ClosestAttributeSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's check, but the message names the attribute the password is most like.

    Django names the first attribute in the list that passes its rough test (quick_ratio compares which
    characters occur, not their order). The citizen's ID number and phone are both digits, so a password
    equal to the phone was reported as "too similar to the ID number": the wrong reason to act on.
    """

    def validate(self, password, user=None):
        if not user:
            return
        password = password.lower()
        best: tuple[float, str] | None = None
        for attribute_name in self.user_attributes:
            value = getattr(user, attribute_name, None)
            if not value or not isinstance(value, str):
                continue
            value = value.lower()
            for part in [*re.split(r"\W+", value), value]:
                if exceeds_maximum_length_ratio(password, self.max_similarity, part):
                    continue
                matcher = SequenceMatcher(a=password, b=part)
                if matcher.quick_ratio() >= self.max_similarity:
                    # Same threshold test as Django; the exact ratio only ranks the attributes that fail it.
                    ratio = matcher.ratio()
                    if best is None or ratio > best[0]:
                        best = (ratio, attribute_name)
        if best is not None:
            try:
                verbose_name = str(user._meta.get_field(best[1]).verbose_name)
            except FieldDoesNotExist:
                verbose_name = best[1]
            raise ValidationError(self.get_error_message(), code="password_too_similar",
                                  params={"verbose_name": verbose_name})
