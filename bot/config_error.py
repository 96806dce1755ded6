"""The one error a bad configuration raises: it names the key so the operator can fix it."""


class ConfigError(Exception):
    """A configuration value is wrong; `key` is its dotted path (`escalation.critical.levels`)."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"config error: {key}: {problem}")
        self.key = key
        self.problem = problem
