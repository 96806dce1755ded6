from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config, parse_config
from bot.config_error import ConfigError
from bot.config_ops import WeeklyAt

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def test_example_config_is_valid_and_matches_defaults() -> None:
    config = load_config(EXAMPLE, {})
    assert config.desk.reference_prefix == "INT"
    assert config.desk.database_url == "sqlite+aiosqlite:///deskbot.db"
    assert config.team.members == ("console:lead",)
    assert not config.telegram.enabled and not config.slack.enabled
    assert config.ops == parse_config({}, {}).ops and config.reports == parse_config({}, {}).reports


def test_ops_and_reports_defaults_and_values() -> None:
    defaults = parse_config({}, {})
    assert defaults.desk.log_format == "text"
    assert defaults.ops.listen == "127.0.0.1" and defaults.ops.metrics_port is None
    assert defaults.ops.delivery_alarm_after == timedelta(minutes=2)
    assert defaults.reports.weekly_at == WeeklyAt(0, time(8, 0))
    raw = {
        "desk": {"log_format": "json"},
        "ops": {"listen": "0.0.0.0", "metrics_port": 9108, "delivery_alarm_after": "90s"},
        "reports": {"weekly_at": "friday 16:30", "chart_weeks": 12},
    }
    config = parse_config(raw, {})
    assert config.desk.log_format == "json"
    assert (config.ops.listen, config.ops.metrics_port) == ("0.0.0.0", 9108)
    assert config.ops.delivery_alarm_after == timedelta(seconds=90)
    assert config.reports.weekly_at == WeeklyAt(4, time(16, 30))
    assert config.reports.chart_weeks == 12
    assert parse_config({"reports": {"weekly_at": ""}}, {}).reports.weekly_at is None


def test_no_file_means_built_in_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(None, {})
    assert config.source == "built-in defaults" and config.team.members == ()


def test_secrets_come_from_the_environment() -> None:
    env = {
        "DESKBOT_TELEGRAM_TOKEN": "123456:ABC-def_ghi",
        "DESKBOT_SLACK_BOT_TOKEN": "xoxb-1",
        "DESKBOT_SLACK_SIGNING_SECRET": "shh",
        "DESKBOT_SLACK_APP_TOKEN": "xapp-1",
    }
    config = parse_config({"telegram": {"token": "999:file"}}, env)
    assert config.telegram.token == "123456:ABC-def_ghi"
    assert config.slack.enabled and config.slack.signing_secret == "shh"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"desk": {"database_url": "mysql://x"}}, "desk.database_url"),
        ({"desk": {"reference_prefix": "int-"}}, "desk.reference_prefix"),
        ({"desk": {"max_title_length": "long"}}, "desk.max_title_length"),
        ({"desk": {"max_title_length": 0}}, "desk.max_title_length"),
        ({"desk": {"colour": "blue"}}, "desk.colour"),
        ({"team": {"members": ["bob"]}}, "team.members"),
        ({"telegram": {"api_base_url": "not a url"}}, "telegram.api_base_url"),
        ({"telegram": {"mode": "carrier-pigeon"}}, "telegram.mode"),
        ({"telegram": {"token": "nonsense"}}, "telegram.token"),
        ({"telegram": {"token": "1:a", "mode": "webhook"}}, "telegram.webhook_url"),
        ({"slack": {"bot_token": "xoxb-1"}}, "slack.signing_secret"),
        ({"slack": {"port": 70000}}, "slack.port"),
        ({"nonsense": {}}, "nonsense"),
        ({"desk": {"log_format": "xml"}}, "desk.log_format"),
        ({"ops": {"metrics_port": 0}}, "ops.metrics_port"),
        ({"ops": {"metrics_port": "9108"}}, "ops.metrics_port"),
        ({"ops": {"metrics_port": True}}, "ops.metrics_port"),
        ({"ops": {"listen": ""}}, "ops.listen"),
        ({"ops": {"listen": "not an address!"}}, "ops.listen"),
        ({"ops": {"delivery_alarm_after": "soon"}}, "ops.delivery_alarm_after"),
        ({"ops": {"delivery_alarm_after": "0s"}}, "ops.delivery_alarm_after"),
        ({"ops": {"port": 9108}}, "ops.port"),
        ({"ops": "on"}, "ops"),
        ({"reports": {"weekly_at": "Someday 08:00"}}, "reports.weekly_at"),
        ({"reports": {"weekly_at": "Mon 25:00"}}, "reports.weekly_at"),
        ({"reports": {"weekly_at": 8}}, "reports.weekly_at"),
        ({"reports": {"chart_weeks": 0}}, "reports.chart_weeks"),
        ({"reports": {"daily": True}}, "reports.daily"),
    ],
)
def test_wrong_values_name_the_key(raw: dict, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, {})
    assert caught.value.key == key
    assert str(caught.value).startswith(f"config error: {key}: ")


def test_cli_exits_2_with_one_line_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text('[desk]\ndatabase_url = "ftp://nowhere"\n')
    assert main(["tickets", "list", "--config", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("config error: desk.database_url:")


def test_cli_reports_invalid_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[desk\n")
    assert main(["db", "upgrade", "--config", str(bad)]) == 2
    assert "is not valid TOML" in capsys.readouterr().err
