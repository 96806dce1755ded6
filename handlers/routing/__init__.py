"""Understanding a merchant's free text: where it goes (classify) and what the desk does (act)."""

from handlers.routing.classify import Decision, Label, Topic, classify, decide, normalise, tied

__all__ = ["Decision", "Label", "Topic", "classify", "decide", "normalise", "tied"]
