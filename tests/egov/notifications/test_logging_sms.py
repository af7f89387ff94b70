"""The development SMS provider writes messages to the log only with DEBUG on: in production they carry citizens'
one-time codes, and the log would keep them."""

import logging

from egov.notifications.sms.logging import LoggingSmsProvider


def test_with_debug_the_message_is_logged_whole(settings, caplog):
    settings.DEBUG = True
    with caplog.at_level(logging.INFO, logger="egov.sms"):
        LoggingSmsProvider().send(phone="0912345678", text="Mã xác thực của bạn là 482913")
    assert "482913" in caplog.text and "0912345678" in caplog.text


def test_without_debug_neither_the_text_nor_the_number_is_logged(settings, caplog):
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="egov.sms"):
        message_id = LoggingSmsProvider().send(phone="0912345678", text="Mã xác thực của bạn là 482913")
    assert message_id
    assert "482913" not in caplog.text and "0912345678" not in caplog.text
    assert "…678" in caplog.text and "not sent" in caplog.text
