"""The team reading the desk from chat: `show REF`, `find <words>`, `mine`, `digest`, and the
answer to a word the desk does not know when a team member types it in the team's context.

The team's context is a team chat (a place alerts go to: the Telegram team group, the Slack team
channel, the console's team view) or a channel form meant for the team (Slack's `/desk`, which
names its commands itself). In a direct chat a member may also be a merchant asking for help, so
free text there still goes to the merchant flows; a `/word` the desk does not know is a command
either way and gets the team's list.
"""

from __future__ import annotations

from handlers import facts
from handlers.after_hours import policy_of
from handlers.escalation.digest import compose_digest
from handlers.escalation.digest_job import digest_lines
from handlers.escalation.sla import list_note
from handlers.members import display_name
from handlers.merchant import find_ticket, my_tickets, ticket_lines
from handlers.messages import t
from handlers.notify import Target
from handlers.program.sweep import stalled_section
from handlers.render import age
from handlers.ticket_view import show as show_ticket
from handlers.turn import Turn
from storage.models import UNRESOLVED, Ticket

COMMANDS = ("show", "find", "mine", "digest")
FIND_LIMIT = 20
MAX_FIND_WORDS = 8
MAX_WORD = 100


def in_team_chat(turn: Turn) -> bool:
    """A team member writing in one of the places the team's alerts go to."""
    here = Target(turn.incoming.channel, turn.incoming.chat_id)
    return turn.is_team and here in tuple(turn.desk.team_targets)


def accepts(turn: Turn, command: str, typed: str) -> bool:
    """Whether typed text parsed as `command` is that command for this person. `find ...` and
    `digest` typed without a slash by a merchant are prose ("find my payout"), not a refusal."""
    if command not in ("find", "digest") or turn.is_team:
        return True
    return typed.lstrip().startswith("/")


def command_list() -> str:
    """Every team command, for menus and for a word the desk does not know."""
    return "\n".join((t("menu.team"), t("teamview.commands"), t("menu.team.program")))


def unknown(turn: Turn, word: str) -> None:
    turn.say(t("teamview.unknown", command=word[:60], commands=command_list()))


async def run(turn: Turn, command: str, args: str) -> None:
    if command == "mine" and not turn.is_team:
        await my_tickets(turn)
        return
    if not turn.is_team:
        turn.say(t("team.refused"))
        return
    if command == "show":
        await show(turn, args)
    elif command == "find":
        await find(turn, args)
    elif command == "mine":
        await mine(turn)
    elif command == "digest":
        await digest(turn)


async def show(turn: Turn, args: str) -> None:
    if not args.strip():
        turn.say(t("show.usage", prefix=turn.desk.settings.reference_prefix))
        return
    ticket = await find_ticket(turn, "show", args)
    if ticket is not None:
        turn.replies.extend(await show_ticket(turn, ticket))


def _lines(turn: Turn, tickets: list[Ticket], learned: dict[str, str]) -> list[str]:
    configured = turn.desk.settings.names
    return [
        t(
            "team.list.line",
            reference=ticket.reference,
            severity=t.word("severity", ticket.severity),
            status=t.word("status", ticket.status),
            age=age(ticket.created_at, turn.now),
            title=" ".join(ticket.title.split()),
            assignee=(
                f" ({display_name(ticket.assignee, configured, learned)})"
                if ticket.assignee
                else ""
            ),
        )
        + list_note(ticket, turn.now)
        for ticket in tickets
    ]


async def find(turn: Turn, args: str) -> None:
    words = [word[:MAX_WORD] for word in args.split()][:MAX_FIND_WORDS]
    if not words:
        turn.say(t("find.usage"))
        return
    shown = " ".join(f"“{word}”" for word in words)
    forms = [facts.search_forms(word) for word in words]
    found = list(await turn.tx.tickets.find(forms, limit=FIND_LIMIT + 1))
    if not found:
        turn.say(t("find.none", words=shown))
        return
    learned = await turn.tx.members.all()
    lines = [t("find.header", count=min(len(found), FIND_LIMIT), words=shown)]
    lines += _lines(turn, found[:FIND_LIMIT], learned)
    if len(found) > FIND_LIMIT:
        lines.append(t("find.more", limit=FIND_LIMIT))
    turn.say("\n".join(lines))


async def mine(turn: Turn) -> None:
    tickets = list(await turn.tx.tickets.assigned_to(turn.actor))
    if tickets:
        learned = await turn.tx.members.all()
        lines = [t("mine.header", count=len(tickets)), *_lines(turn, tickets, learned)]
        turn.say("\n".join(lines))
    else:
        turn.say(t("mine.none"))
    if in_team_chat(turn):
        return
    # In a direct chat a member may have reported tickets of their own, as a merchant does.
    own = await turn.tx.tickets.for_reporter(turn.incoming.channel, turn.incoming.user_id)
    if own:
        turn.say("\n".join([t("mine.own"), *ticket_lines(own)]))


async def digest(turn: Turn) -> None:
    """Today's digest as the team chat gets it in the morning, now, to the asker only."""
    policy = policy_of(turn)
    tickets = list(await turn.tx.tickets.search(statuses=UNRESOLVED))
    body = compose_digest(digest_lines(tickets, policy, turn.desk.clock), turn.now, policy.zone)
    stalled = await stalled_section(turn.desk.settings.program)(turn.tx, turn.now)
    turn.say(f"{body}\n{stalled}" if stalled else body)
