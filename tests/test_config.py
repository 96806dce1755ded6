from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config, parse_config
from bot.config_error import ConfigError

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def test_example_config_is_valid_and_matches_defaults() -> None:
    config = load_config(EXAMPLE, {})
    assert config.desk.reference_prefix == "INT"
    assert config.desk.database_url == "sqlite+aiosqlite:///deskbot.db"
    assert config.team.members == ("console:lead",)
    assert not config.telegram.enabled and not config.slack.enabled


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
