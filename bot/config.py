"""Configuration: TOML file, secrets also from the environment, every value checked at start-up.

A wrong value raises ConfigError naming the dotted key; `deskbot` turns that into one line on
stderr and exit code 2.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config_attachments import parse_attachments
from bot.config_error import ConfigError
from bot.config_escalation import parse_escalation
from bot.config_limits import parse_limits
from bot.config_ops import OpsConfig, ReportsConfig, parse_ops, parse_reports
from bot.config_program import parse_program
from bot.config_section import Section, secret
from bot.database_url import masked
from handlers.attaching import AttachmentSettings
from handlers.escalation.durations import DurationError, parse_duration
from handlers.i18n.catalogs import LANGUAGES
from handlers.limits import Limits

DEFAULT_PATH = Path("config.toml")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
_MEMBER = re.compile(r"^(telegram|slack|console):\S+$")
MAX_REOPEN_WITHIN = timedelta(days=365)


@dataclass(frozen=True)
class DeskConfig:
    reference_prefix: str = "INT"
    database_url: str = "sqlite+aiosqlite:///deskbot.db"
    log_level: str = "INFO"
    log_format: str = "text"
    max_title_length: int = 120
    max_details_length: int = 4000
    default_language: str = "en"
    outbox_lease_seconds: int = 10
    pool_size: int = 10
    max_overflow: int = 10
    followup_window: timedelta = timedelta(hours=24)
    durable_steps: bool = False
    reopen_within: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class TeamConfig:
    members: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    language: str = "en"
    # member id -> the name merchants and the team see
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TelegramConfig:
    token: str = ""
    api_base_url: str = "https://api.telegram.org"
    mode: str = "polling"
    webhook_url: str = ""
    listen: str = "127.0.0.1"
    port: int = 8443
    webhook_secret: str = ""
    team_chat_id: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.token)


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    mode: str = "socket"
    listen: str = "127.0.0.1"
    port: int = 3000
    path: str = "/slack/events"
    api_base_url: str = "https://slack.com/api/"
    team_channel: str = ""
    command: str = "/desk"

    @property
    def enabled(self) -> bool:
        return bool(self.bot_token)


@dataclass(frozen=True)
class Config:
    desk: DeskConfig = field(default_factory=DeskConfig)
    team: TeamConfig = field(default_factory=TeamConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    slack: SlackConfig = field(default_factory=SlackConfig)
    # Parsed by the escalation policy loader; kept raw here so this module stays about the shape.
    escalation: Mapping[str, Any] = field(default_factory=dict)
    kb: Mapping[str, Any] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    attachments: AttachmentSettings = field(default_factory=AttachmentSettings)
    program: Mapping[str, Any] = field(default_factory=dict)
    ops: OpsConfig = field(default_factory=OpsConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    source: str = "built-in defaults"


def _desk(raw: Any) -> DeskConfig:
    s = Section("desk", raw)
    prefix = s.string("reference_prefix", "INT")
    if not _PREFIX.match(prefix):
        raise ConfigError(s.key("reference_prefix"), "must be 1-10 capital letters or digits")
    url = s.string("database_url", DeskConfig.database_url)
    if not re.match(r"^(sqlite\+aiosqlite|postgresql\+asyncpg)://", url):
        raise ConfigError(
            s.key("database_url"),
            f"must start with sqlite+aiosqlite:// or postgresql+asyncpg://, got {masked(url)!r}",
        )
    level = s.one_of("log_level", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
    log_format = s.one_of("log_format", "text", ("text", "json"))
    title = s.integer("max_title_length", 120, 10, 1000)
    details = s.integer("max_details_length", 4000, 100, 20000)
    language = s.one_of("default_language", "en", LANGUAGES)
    lease = s.integer("outbox_lease_seconds", 10, 1, 600)
    pool_size = s.integer("pool_size", DeskConfig.pool_size, 1, 200)
    max_overflow = s.integer("max_overflow", DeskConfig.max_overflow, 0, 200)
    window_text = s.string("followup_window", "24h")
    try:
        window = parse_duration(window_text)
    except DurationError as exc:
        raise ConfigError(s.key("followup_window"), str(exc)) from None
    if not timedelta(minutes=1) <= window <= timedelta(days=30):
        raise ConfigError(s.key("followup_window"), f"must be 1m to 30d, got {window_text!r}")
    durable_steps = s.boolean("durable_steps", DeskConfig.durable_steps)
    reopen_within = _reopen_within(s)
    s.finish()
    return DeskConfig(
        prefix,
        url,
        level,
        log_format,
        title,
        details,
        default_language=language,
        outbox_lease_seconds=lease,
        pool_size=pool_size,
        max_overflow=max_overflow,
        followup_window=window,
        durable_steps=durable_steps,
        reopen_within=reopen_within,
    )


def _reopen_within(s: Section) -> timedelta:
    raw = s.get("reopen_within", "7d", str)
    try:
        value = parse_duration(raw)
    except DurationError as exc:
        raise ConfigError(s.key("reopen_within"), str(exc)) from None
    if not timedelta(minutes=1) <= value <= MAX_REOPEN_WITHIN:
        raise ConfigError(s.key("reopen_within"), f"must be between 1m and 365d, got {raw!r}")
    return value


def _team(raw: Any) -> TeamConfig:
    s = Section("team", raw)
    members = s.strings("members")
    leads = s.strings("leads")
    language = s.one_of("language", "en", LANGUAGES)
    names = s.get("names", {}, dict)
    s.finish()
    for member, name in names.items():
        if member not in members:
            raise ConfigError(s.key("names"), f"{member!r} is not in team.members")
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            raise ConfigError(s.key(f"names.{member}"), "must be a name of 1-64 characters")
        if any(not char.isprintable() for char in name):
            raise ConfigError(s.key(f"names.{member}"), "must not contain control characters")
    for name, values in (("members", members), ("leads", leads)):
        for value in values:
            if not _MEMBER.match(value):
                raise ConfigError(
                    s.key(name), f"{value!r} is not <telegram|slack|console>:<user id>"
                )
    return TeamConfig(members, leads, language, tuple((m, n.strip()) for m, n in names.items()))


def _telegram(raw: Any, env: Mapping[str, str]) -> TelegramConfig:
    s = Section("telegram", raw)
    token = secret(s, "token", env, "DESKBOT_TELEGRAM_TOKEN")
    if token and not re.match(r"^\d+:[\w-]+$", token):
        raise ConfigError(s.key("token"), "does not look like a bot token from @BotFather")
    cfg = TelegramConfig(
        token=token,
        api_base_url=s.url("api_base_url", TelegramConfig.api_base_url).rstrip("/"),
        mode=s.one_of("mode", "polling", ("polling", "webhook")),
        webhook_url=s.url("webhook_url", "", ("https", "http")),
        listen=s.address("listen", TelegramConfig.listen),
        port=s.integer("port", 8443, 1, 65535),
        webhook_secret=secret(s, "webhook_secret", env, "DESKBOT_TELEGRAM_WEBHOOK_SECRET"),
        team_chat_id=str(s.get("team_chat_id", "", (str, int))).strip(),  # type: ignore[arg-type]
    )
    s.finish()
    if cfg.enabled and cfg.mode == "webhook":
        if not cfg.webhook_url:
            raise ConfigError(s.key("webhook_url"), 'is required when mode = "webhook"')
        if not re.match(r"^[A-Za-z0-9_-]{1,256}$", cfg.webhook_secret):
            raise ConfigError(
                s.key("webhook_secret"),
                "is required in webhook mode: 1-256 characters of A-Z, a-z, 0-9, _ and -",
            )
    if cfg.team_chat_id and not re.match(r"^-?\d+$|^@\w+$", cfg.team_chat_id):
        raise ConfigError(s.key("team_chat_id"), "must be a numeric chat id such as -1001234567890")
    return cfg


def _slack(raw: Any, env: Mapping[str, str]) -> SlackConfig:
    s = Section("slack", raw)
    cfg = SlackConfig(
        bot_token=secret(s, "bot_token", env, "DESKBOT_SLACK_BOT_TOKEN"),
        signing_secret=secret(s, "signing_secret", env, "DESKBOT_SLACK_SIGNING_SECRET"),
        app_token=secret(s, "app_token", env, "DESKBOT_SLACK_APP_TOKEN"),
        mode=s.one_of("mode", "socket", ("socket", "http")),
        listen=s.address("listen", SlackConfig.listen),
        port=s.integer("port", 3000, 1, 65535),
        path=s.string("path", "/slack/events"),
        api_base_url=s.url("api_base_url", SlackConfig.api_base_url),
        team_channel=s.string("team_channel"),
        command=s.string("command", "/desk"),
    )
    s.finish()
    if not cfg.api_base_url.endswith("/"):
        cfg = SlackConfig(**{**cfg.__dict__, "api_base_url": cfg.api_base_url + "/"})
    if not cfg.path.startswith("/"):
        raise ConfigError(s.key("path"), "must start with /")
    if not re.match(r"^/[a-z0-9_-]{1,31}$", cfg.command):
        raise ConfigError(s.key("command"), "must look like /desk")
    if cfg.enabled:
        if not cfg.bot_token.startswith("xoxb-"):
            raise ConfigError(s.key("bot_token"), "must be a bot token starting with xoxb-")
        if not cfg.signing_secret:
            raise ConfigError(s.key("signing_secret"), "is required when bot_token is set")
        if cfg.mode == "socket" and not cfg.app_token.startswith("xapp-"):
            raise ConfigError(
                s.key("app_token"), "Socket Mode needs an app-level token starting with xapp-"
            )
    return cfg


_SECTIONS = (
    "desk", "team", "telegram", "slack", "escalation", "kb", "limits", "ops", "reports", "program",
    "attachments",
)  # fmt: skip


def parse_config(
    raw: Mapping[str, Any], env: Mapping[str, str], source: str = "built-in defaults"
) -> Config:
    for name in raw:
        if name not in _SECTIONS:
            raise ConfigError(name, "unknown section (see config.example.toml)")
    escalation = raw.get("escalation", {})
    kb = raw.get("kb", {})
    program = raw.get("program", {})
    for name, value in (("escalation", escalation), ("kb", kb), ("program", program)):
        if not isinstance(value, Mapping):
            raise ConfigError(name, "must be a table")
    # Checked now so a bad policy stops start-up with its key; kept raw for the wiring.
    policy = parse_escalation(escalation)
    desk = _desk(raw.get("desk", {}))
    if url := env.get("DESKBOT_DATABASE_URL"):
        desk = _desk({**raw.get("desk", {}), "database_url": url})
    parse_program(program, policy, desk.reference_prefix)
    return Config(
        desk=desk,
        team=_team(raw.get("team", {})),
        telegram=_telegram(raw.get("telegram", {}), env),
        slack=_slack(raw.get("slack", {}), env),
        escalation=escalation,
        kb=kb,
        limits=parse_limits(raw.get("limits", {}), desk.max_details_length),
        program=program,
        ops=parse_ops(raw.get("ops", {})),
        reports=parse_reports(raw.get("reports", {})),
        attachments=parse_attachments(raw.get("attachments", {})),
        source=source,
    )


def load_config(path: Path | None, env: Mapping[str, str]) -> Config:
    """Load `path`, or ./config.toml when it exists, or the built-in defaults."""
    if path is None:
        if not DEFAULT_PATH.exists():
            return parse_config({}, env)
        path = DEFAULT_PATH
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("--config", f"no such file: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("--config", f"{path} is not valid TOML: {exc}") from exc
    return parse_config(raw, env, source=str(path))
