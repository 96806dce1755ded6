"""The deployment examples stay in step with the code: the unit runs the real commands with the
directories the README promises, and nginx forwards the paths the example config serves."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

from bot.config import parse_config

DEPLOY = Path(__file__).parent.parent.parent / "deploy"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / "deskbot.service").read_text("utf-8"))
    return parser


def test_systemd_unit_restarts_on_failure_with_private_state() -> None:
    service = unit()["Service"]
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == "2"  # a config error stays stopped
    assert service["EnvironmentFile"] == "/etc/deskbot/deskbot.env"
    assert service["User"] == "deskbot"
    assert service["StateDirectory"].split() == ["deskbot", "deskbot/attachments"]
    assert service["StateDirectoryMode"] == "0700" and service["UMask"] == "0077"
    assert service["ExecStart"].endswith("deskbot run --config /etc/deskbot/config.toml")
    assert "deskbot db upgrade" in service["ExecStartPre"]
    # Stopped as by Ctrl-C, which deskbot run handles in order and reports with 130.
    assert (service["KillSignal"], service["SuccessExitStatus"]) == ("SIGINT", "130")


def test_environment_example_names_only_variables_the_desk_reads() -> None:
    text = (DEPLOY / "deskbot.env.example").read_text("utf-8")
    names = re.findall(r"^#?\s*(DESKBOT_[A-Z_]+)=", text, flags=re.M)
    env = {name: "x" for name in names}
    known = {
        "DESKBOT_TELEGRAM_TOKEN", "DESKBOT_TELEGRAM_WEBHOOK_SECRET", "DESKBOT_SLACK_BOT_TOKEN",
        "DESKBOT_SLACK_SIGNING_SECRET", "DESKBOT_SLACK_APP_TOKEN", "DESKBOT_DATABASE_URL",
    }  # fmt: skip
    assert set(env) <= known and "DESKBOT_DATABASE_URL" in env
    url = re.search(r"^DESKBOT_DATABASE_URL=(.+)$", text, flags=re.M)
    assert url is not None
    config = parse_config({}, {"DESKBOT_DATABASE_URL": url.group(1)})
    # The SQLite file lives in the unit's state directory.
    assert config.desk.database_url.endswith(":////var/lib/deskbot/deskbot.db")


def test_nginx_forwards_the_webhook_and_slack_paths_to_the_configured_ports() -> None:
    conf = (DEPLOY / "nginx-deskbot.conf").read_text("utf-8")
    pattern = r"location = (\S+) \{(?:(?!location).)*?proxy_pass http://([\d.:]+);"
    forwarded = dict(re.findall(pattern, conf, flags=re.S))
    example = tomllib.loads(
        """
        [telegram]
        token = "1:a"
        mode = "webhook"
        webhook_url = "https://desk.example.com/telegram/webhook"
        webhook_secret = "secret"
        listen = "127.0.0.1"
        port = 8081
        [slack]
        mode = "http"
        listen = "127.0.0.1"
        """
    )
    config = parse_config(example, {})
    assert forwarded == {
        "/telegram/webhook": f"127.0.0.1:{config.telegram.port}",
        config.slack.path: f"127.0.0.1:{config.slack.port}",
    }
    assert "ssl_certificate " in conf and "listen 443 ssl" in conf
