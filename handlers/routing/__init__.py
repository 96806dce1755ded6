"""Understanding a merchant's free text: where it goes (classify) and what the desk does (act)."""

from handlers.routing.classify import Label, Topic, classify, normalise

__all__ = ["Label", "Topic", "classify", "normalise"]
