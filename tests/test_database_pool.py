"""PostgreSQL connection pool settings: from `[desk]`, validated, and used by the engine."""

from __future__ import annotations

import pytest

from bot.config import parse_config
from bot.config_error import ConfigError
from storage import Database


def test_pool_settings_default_and_come_from_the_config() -> None:
    default = parse_config({}, env={})
    assert (default.desk.pool_size, default.desk.max_overflow) == (10, 10)
    config = parse_config({"desk": {"pool_size": 4, "max_overflow": 0}}, env={})
    assert (config.desk.pool_size, config.desk.max_overflow) == (4, 0)


def test_durable_steps_is_off_unless_asked_for() -> None:
    assert parse_config({}, env={}).desk.durable_steps is False
    assert parse_config({"desk": {"durable_steps": True}}, env={}).desk.durable_steps is True


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"pool_size": 0}, "desk.pool_size"),
        ({"pool_size": "ten"}, "desk.pool_size"),
        ({"max_overflow": -1}, "desk.max_overflow"),
        ({"max_overflow": 500}, "desk.max_overflow"),
        ({"durable_steps": "yes"}, "desk.durable_steps"),
        ({"durable_steps": 1}, "desk.durable_steps"),
    ],
)
def test_a_wrong_pool_setting_names_its_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_config({"desk": raw}, env={})
    assert refused.value.key == key


async def test_the_engine_uses_the_pool_settings_and_no_pre_ping() -> None:
    database = Database("postgresql+asyncpg://postgres@127.0.0.1:1/none", 3, 2)
    pool = database.engine.pool
    assert (pool.size(), pool._max_overflow, pool._pre_ping) == (3, 2, False)  # type: ignore[attr-defined]
    await database.close()
