from __future__ import annotations

import logging

import pytest

from bot.logs import setup_logging

TOKEN = "123456:SECRET-token_value"


def test_secrets_are_blanked_in_messages_arguments_and_tracebacks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging("INFO", [TOKEN, "xoxb-slack-secret", ""])
    log = logging.getLogger("deskbot.test")
    log.info("GET https://api.telegram.org/bot%s/getUpdates", TOKEN)
    log.warning("slack said no to xoxb-slack-secret")
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
    except ConnectionError:
        log.exception("request failed")
    root.handlers[:], root.level = saved
    err = capsys.readouterr().err
    assert TOKEN not in err and "xoxb-slack-secret" not in err
    assert err.count("[redacted]") == 3
    assert "ConnectionError: cannot reach https://api.telegram.org/bot[redacted]/getMe" in err
