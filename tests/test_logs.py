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


def test_json_lines_carry_the_context_and_stay_redacted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from handlers.log_context import log_context

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging("INFO", [TOKEN], log_format="json")
    log = logging.getLogger("deskbot.test")
    with log_context(channel="telegram", chat="501", update_id="10001"):
        log.info("sending to https://api.telegram.org/bot%s/sendMessage", TOKEN)
        with log_context(ticket="INT-42"):
            try:
                raise ConnectionError(f"cannot reach /bot{TOKEN}/getMe")
            except ConnectionError:
                log.exception("delivery failed")
    log.warning("outside any message", extra={"ticket": "INT-7"})
    root.handlers[:], root.level = saved
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert TOKEN not in json.dumps(lines)
    first, second, third = lines
    assert set(first) == {"time", "level", "logger", "message", "channel", "chat", "update_id"}
    assert first["level"] == "INFO" and first["logger"] == "deskbot.test"
    assert first["message"] == "sending to https://api.telegram.org/bot[redacted]/sendMessage"
    assert (first["channel"], first["chat"], first["update_id"]) == ("telegram", "501", "10001")
    assert first["time"].endswith("+00:00")
    assert second["ticket"] == "INT-42" and "bot[redacted]/getMe" in second["exc_info"]
    assert third == {
        "time": third["time"],
        "level": "WARNING",
        "logger": "deskbot.test",
        "message": "outside any message",
        "ticket": "INT-7",
    }
