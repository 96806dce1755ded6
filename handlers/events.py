"""The platform-neutral vocabulary between channel adapters and the conversation engine.

Adapters translate platform updates into `Incoming` and render `Message` back: choices become
inline keyboards (Telegram), Block Kit buttons (Slack) or numbered options (console). Message text
is plain text holding user content verbatim; each adapter escapes it for its own markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


def storable(text: str) -> str:
    """User text as it will be stored: verbatim, except NUL, which PostgreSQL cannot hold in a
    text column at all. It becomes U+FFFD (the replacement character) on every database alike."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def storable_incoming(incoming: Incoming) -> Incoming:
    if "\x00" not in incoming.text and "\x00" not in incoming.display_name:
        return incoming
    return replace(
        incoming, text=storable(incoming.text), display_name=storable(incoming.display_name)
    )


@dataclass(frozen=True, slots=True)
class Choice:
    """One option offered to the user. `value` is what comes back when it is chosen."""

    label: str
    value: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    """One outgoing message: plain text plus optional choices."""

    text: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file someone sent, as the platform announced it: its bytes are fetched later, through
    the download queue, by the channel that received it."""

    # photo, document, video, audio, voice (Telegram) or file (Slack, console)
    kind: str
    # The platform's id for the file (Telegram file_id, Slack file id, the console's path).
    platform_file_id: str
    # The sender's name for it, as given (sanitised before it is stored).
    name: str = ""
    # What the platform says about it; checked again against the bytes.
    size: int | None = None
    mime_type: str = ""
    # Where to fetch it when the id is not enough (Slack's url_private_download).
    source: str = ""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a user did: typed `text`, or pressed a button whose value is `choice`."""

    channel: str
    chat_id: str
    user_id: str
    display_name: str = ""
    text: str = ""
    choice: str | None = None
    # Where the reporter wrote from when it is not the chat itself (a Slack thread in a shared
    # channel); notifications for tickets filed from here go back to it.
    thread_id: str | None = None
    # The platform's id for this delivery (a Telegram update_id). The engine records it in the
    # transaction that handles it, so the same delivery arriving twice is handled once.
    delivery_id: str | None = None
    # The platform's idea of the person's language (Telegram `language_code`, Slack locale),
    # used when they have not picked one.
    language_hint: str | None = None
    # Files sent with this message (`text` is then their caption).
    files: tuple[IncomingFile, ...] = ()
    # Something the desk cannot take (a sticker, a location, a poll...): what it was.
    unsupported: str | None = None
    # The platform's id of the message itself, set only where the bot may delete it (Telegram
    # private chats): a message a secret was hidden from is then deleted from the chat.
    deletable_id: str | None = None

    @property
    def member_id(self) -> str:
        """The identity used in `[team] members`: `<channel>:<user id>`."""
        return f"{self.channel}:{self.user_id}"


@dataclass(slots=True)
class Replies:
    """What the engine answers to one `Incoming`: messages for the same chat, in order."""

    messages: list[Message] = field(default_factory=list)

    def add(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        self.messages.append(Message(text, choices))
