"""Every user-facing sentence, in one place: the English source table and the `t` that speaks
the current turn's language.

Texts are `str.format` templates with named placeholders. User content is inserted verbatim;
channel adapters escape the finished text for their markup. Translations live in gettext
catalogs (`handlers/locales/<language>/LC_MESSAGES/deskbot.po`), keyed by these keys; the README
section "Languages" says how to add a message and its translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from handlers.i18n.catalogs import SOURCE_LANGUAGE, translations

EN: dict[str, str] = {
    # Menu and help
    "menu": (
        "Hi {name}, I'm the ClickPesa integration desk.\n"
        "• report: report an integration issue (you choose its severity)\n"
        "• ask <question>: ask an integration question\n"
        "• status <reference>: see where one of your tickets stands\n"
        "• mytickets: list your tickets\n"
        "• cancel: stop what we're doing\n"
        "• language: English or Kiswahili\n"
        "Integration Team: +255 753 308 308"
    ),
    "menu.team": (
        "Team commands: ack REF, take REF, assign REF <member>, resolve REF [note], "
        "note REF <text> (internal), reply REF <text> (to the reporter), "
        "list [open|critical|major|minor], report [days] (figures for the last days)"
    ),
    "menu.choice.report": "Report an issue",
    "menu.choice.ask": "Ask a question",
    "menu.choice.mytickets": "My tickets",
    "empty": "I didn't get any text. Here is what I can do:",
    "unknown_command": "I don't know the command “{command}”.",
    "cancelled": "Cancelled. Nothing was saved. Type help to see what I can do.",
    "nothing_to_cancel": "There was nothing to cancel. Type help to see what I can do.",
    "stale_choice": "That button belongs to an earlier question, so I ignored it.",
    # Language
    "language.prompt": "Which language shall I use? Nitumie lugha gani?",
    "language.set": "From now on I'll write to you in English. Type language to change it.",
    "language.unknown": "I speak English and Kiswahili. Please choose one.",
    # Report flow
    "report.title": "Let's report an issue. In one line, what is wrong? (up to {limit} characters)",
    "report.title.empty": "Please type a short title for the issue.",
    "report.too_long": "That is {length} characters; please keep it to {limit} and send it again.",
    "report.details": (
        "What happened? Paste error messages, request ids or order references, and what you "
        "expected instead. (up to {limit} characters)"
    ),
    "report.details.empty": "Please describe what happened; even one sentence helps.",
    "report.environment": "Where does it happen?",
    "report.environment.staging": "Staging",
    "report.environment.production": "Production",
    "report.severity": (
        "How severe is it?\n• Critical: {critical}\n• Major: {major}\n• Minor: {minor}"
    ),
    "report.severity.critical": "Critical",
    "report.severity.major": "Major",
    "report.severity.minor": "Minor",
    "report.choose": "Please choose one of the options: {options}.",
    "report.summary": (
        "Please check your report:\n"
        "Title: {title}\n"
        "Details: {description}\n"
        "Environment: {environment}\n"
        "Severity: {severity}\n"
        "Send it to the integration team?"
    ),
    "report.confirm": "Confirm",
    "report.cancel": "Cancel",
    "report.created": "Thank you. Your issue is logged as {reference} ({severity}, {environment}).",
    "report.next.critical": (
        "The integration team is being paged now and will keep being paged until someone "
        "acknowledges it. I'll tell you here when that happens and when it is resolved."
    ),
    "report.next.other": (
        "The integration team has been notified. I'll tell you here when someone picks it up "
        "and when it is resolved."
    ),
    "report.next.status": "You can check it any time with: status {reference}",
    # Ask flow
    "ask.prompt": "What's your question? (up to {limit} characters)",
    "ask.empty": "Please type your question.",
    "ask.logged": (
        "Thanks. I don't have a ready answer, so I've passed your question to the integration "
        "team as {reference}. You'll get their answer here."
    ),
    "ask.answer": "{title}\n\n{body}\n\nSource: {source}",
    "ask.related": "Related: {title}",
    "ask.helped": "Did this answer your question?",
    "ask.yes": "Yes",
    "ask.no": "No",
    "ask.thanks": "Glad that helped. Ask another question any time, or type help for the menu.",
    "ask.escalated": (
        "Sorry that didn't help. I've passed your question to the integration team as "
        "{reference}, together with the answer I showed. You'll get their answer here."
    ),
    "ask.ticket.description": "Question: {question}\n\nShown by the knowledge base:\n{shown}",
    "ask.ticket.shown_line": "- {title} ({id})",
    "ask.ticket.nothing_shown": "nothing (no confident answer)",
    # Follow-ups and free text
    "followup.which": "Shall I add this message to one of your open tickets?",
    "followup.add": "Add to {reference}: {title}",
    "followup.new_report": "No, report a new issue",
    "followup.new_question": "No, it's a new question",
    "followup.added": "Added to {reference}. The team will see it.",
    "followup.expired": "I no longer have that message; please send it again.",
    # Merchant commands
    "ref.missing": "Please give a ticket reference, for example: {command} {prefix}-42",
    "ref.malformed": (
        "“{text}” doesn't look like a ticket reference. References look like {prefix}-42."
    ),
    "ref.not_found": "I couldn't find a ticket {reference} among your tickets.",
    "ref.not_found_team": "There is no ticket {reference}.",
    "status.line": (
        "{reference} · {kind} · {severity} · {environment}\n"
        "Title: {title}\n"
        "Status: {status}{assignee}\n"
        "Opened: {created}"
    ),
    "status.assignee": " (with {assignee})",
    "status.replies": "Latest from the team:",
    "mytickets.none": "You have no tickets yet. Type report to report an issue.",
    "mytickets.header": "Your tickets (newest first):",
    "mytickets.line": "{reference} · {status} · {severity} · {title}",
    # Team commands
    "team.refused": "Sorry, that is for the integration team only.",
    "team.usage": "Usage: {usage}",
    "team.acknowledged": "{reference} acknowledged by {actor}.",
    "team.already_acknowledged": "{reference} was already acknowledged by {actor}.",
    "team.taken": "{reference} is now with {actor}.",
    "team.assigned": "{reference} assigned to {assignee}.",
    "team.unknown_member": "{member} is not a team member. Members: {members}",
    "team.resolved": "{reference} resolved by {actor}.",
    "team.already_resolved": "{reference} is already {status}.",
    "team.noted": "Internal note added to {reference}.",
    "team.replied": "Reply sent to the reporter of {reference}.",
    "team.reply_text_missing": "Please add the text to send, for example: reply {reference} <text>",
    "team.note_text_missing": "Please add the note text, for example: note {reference} <text>",
    "team.list.none": "No tickets match.",
    "team.list.header": "{count} ticket(s):",
    "team.list.line": "{reference} · {severity} · {status} · {age} · {title}{assignee}",
    "team.list.bad_filter": "I can list: open, critical, major or minor.",
    # Notifications to the reporter
    "notify.acknowledged": (
        "Your ticket {reference} ({title}) was acknowledged by the integration team."
    ),
    "notify.resolved": "Your ticket {reference} ({title}) was marked resolved.",
    "notify.resolved_note": "Note from the team: {note}",
    "notify.reply": "The integration team replied on {reference}:\n{text}",
    "notify.in_progress": "{member} from the integration team is working on {reference}.",
    # Team alerts and timeline
    "alert.new": (
        "New {kind} {reference}\n"
        "Severity: {severity} · Environment: {environment}\n"
        "Title: {title}\n"
        "Reporter: {reporter}\n"
        "Status: {status}"
    ),
    "alert.question": (
        "New question {reference}\nQuestion: {title}\nReporter: {reporter}\nStatus: {status}"
    ),
    "alert.status_by": "{status} by {actor}",
    "alert.assignee": "Assignee: {assignee}",
    "alert.language": "Merchant's language: {language}",
    "alert.acknowledge": "Acknowledge",
    "alert.take": "Take",
    "alert.resolve": "Resolve",
    "timeline.followup": "{reporter} added to {reference}:\n{text}",
    "timeline.status": "{reference}: {change} by {actor}",
    "timeline.note": "Internal note on {reference} by {actor}:\n{text}",
    "timeline.reply": "Reply sent to the reporter of {reference} by {actor}:\n{text}",
    "timeline.undeliverable": (
        "⚠️ A message to the reporter of {reference} could not be delivered: {reason}"
    ),
    # Escalation: pages, the merchant's notice, the daily digest
    "page": (
        "🚨 Level {level} page{repeat}: {reference} ({severity}) is not acknowledged\n"
        "Title: {title}\n"
        "Open for {age} · Reporter: {reporter}\n"
        "Press Acknowledge or type: ack {reference}"
    ),
    "page.repeat": " (repeat {repeat} of {max_repeats})",
    "page.acknowledge": "Acknowledge",
    "notify.paged": (
        "The integration team has been paged about your critical ticket {reference}. "
        "I'll tell you as soon as someone acknowledges it."
    ),
    "digest.title": "Daily digest for {date} ({time} {zone})",
    "digest.empty": "No open tickets. 🎉",
    "digest.open": "Open tickets: {count} ({counts})",
    "digest.severity": "{severity} ({count}):",
    "digest.unrated": "No severity",
    "digest.line": "• {reference} {title} ({age} old, {state})",
    "digest.acknowledged": "acknowledged",
    "digest.unacknowledged": "not acknowledged",
    "digest.more": "  … and {count} more",
    "digest.breached": "SLA breached: {items}",
    "digest.at_risk": "SLA at risk: {items}",
    "digest.sla_item": "{reference} ({clocks})",
    "digest.clock.acknowledge": "acknowledge",
    "digest.clock.resolve": "resolve",
    "digest.clock_and": " and ",
    "digest.none": "none",
    "digest.oldest": "Oldest unacknowledged: {reference} [{severity}] {title} ({age} old)",
    "digest.oldest_none": "Oldest unacknowledged: none, everything is acknowledged",
    # Channel adapters: Telegram and Slack specifics
    "telegram.failed": "Sorry, something went wrong on our side. Please try again in a moment.",
    "telegram.private_only": (
        "I take reports and questions in a private chat: open a chat with @{username}."
    ),
    "slack.failed": "Sorry, something went wrong on our side. Please try again in a moment.",
    "slack.hint": "Type {command} help to see what I can do.",
    "slack.ask.headline": "❓ {user} asked: {question}",
    "slack.report.headline": "📝 {user} reported an issue: {title}",
    "slack.usage.report": "{command} report: report an integration issue (opens a form)",
    "slack.usage.team_report": (
        "{command} report <days>: MTTA, MTTR, SLA and knowledge-base figures for the last days"
    ),
    "slack.usage.ask": "{command} ask <question>: ask an integration question",
    "slack.usage.status": "{command} status {prefix}-42: the status of a ticket",
    "slack.usage.mine": "{command} mine: your tickets",
    "slack.usage.list": "{command} list [{filters}]: tickets for the team",
    "slack.usage.act": "{command} ack|take|resolve {prefix}-42: act on a ticket",
    "slack.usage.reply": "{command} reply {prefix}-42 <text>: answer the merchant",
    "slack.usage.note": (
        "{command} note {prefix}-42 <text>: an internal note (the merchant never sees it)"
    ),
    "slack.command.shape": "{command} {verb} {prefix}-42",
    "slack.command.shape_text": "{command} {verb} {prefix}-42 <text>",
    "slack.command.shape_list": "{command} list [{filters}]",
    "slack.command.usage": "Usage: {shape}",
    "slack.command.question_missing": "Please add your question: {command} ask <question>",
    "slack.command.reference_missing": "Please name a ticket like {prefix}-42: {shape}",
    "slack.command.text_missing": "Please add the text: {shape}",
    "slack.command.unknown": "I don't know “{verb}”.\n{usage}",
    "slack.modal.cancel": "Cancel",
    "slack.report.modal_title": "Report an issue",
    "slack.report.submit": "Report",
    "slack.report.field.title": "Title",
    "slack.report.field.details": "What happened? (steps, order reference, error message)",
    "slack.report.field.environment": "Environment",
    "slack.report.field.environment_placeholder": "Where?",
    "slack.report.field.severity": "Severity",
    "slack.report.field.severity_placeholder": "How bad is it?",
    "slack.report.error.not_filed": (
        "Your report could not be filed just now (nothing was saved). Please press Report again."
    ),
    "slack.report.error.title_empty": "Please give the issue a short title.",
    "slack.report.error.title_too_long": "Please keep the title to {limit} characters.",
    "slack.report.error.details_empty": "Please describe what happened.",
    "slack.report.error.details_too_long": "Please keep this to {limit} characters.",
    "slack.report.error.environment": "Please choose an environment.",
    "slack.report.error.severity": "Please choose a severity.",
    "slack.reply.modal_title": "Reply on {reference}",
    "slack.reply.submit": "Send",
    "slack.reply.field": "Your answer to the merchant",
    "slack.reply.error.empty": "Please write the answer.",
    "slack.alert.reply": "Reply to merchant",
    "slack.shortened": (
        "✂ {hidden} more characters did not fit in one Slack message; the full text is kept "
        "with the ticket."
    ),
    # Command menus (Telegram shows these next to each command)
    "command.report": "Report an integration issue",
    "command.ask": "Ask an integration question",
    "command.status": "Where a ticket stands: /status {prefix}-42",
    "command.mytickets": "List your tickets",
    "command.cancel": "Stop what we are doing",
    "command.help": "What I can do",
    "command.language": "English or Kiswahili",
    "command.list": "Open tickets: /list [open|critical|major|minor]",
    "command.ack": "Acknowledge: /ack {prefix}-42",
    "command.take": "Take a ticket: /take {prefix}-42",
    "command.assign": "Assign: /assign {prefix}-42 <member>",
    "command.resolve": "Resolve: /resolve {prefix}-42 [note]",
    "command.note": "Internal note: /note {prefix}-42 <text>",
    "command.reply": "Message the merchant: /reply {prefix}-42 <text>",
    # Words used inside other messages
    "kind.issue": "issue",
    "kind.question": "question",
    "none": "none",
    "status.open": "open",
    "status.acknowledged": "acknowledged",
    "status.in_progress": "in progress",
    "status.resolved": "resolved",
    "status.closed": "closed",
    "severity.critical": "Critical",
    "severity.major": "Major",
    "severity.minor": "Minor",
    "environment.staging": "Staging",
    "environment.production": "Production",
    # Operations: the delivery alarm and the reports (team-facing)
    "ops.alarm": (
        "⚠️ {channel} has refused the desk's messages for {duration}: {waiting}. "
        "They are kept and will be sent when {channel} takes them again."
    ),
    "ops.alarm.pages": (
        "{count} messages waiting, {pages} of them pages, oldest page {reference} Level {level}"
    ),
    "ops.alarm.messages": "{count} messages waiting",
    "ops.recovered": (
        "✅ {channel} is taking the desk's messages again (refused for {duration}); "
        "the waiting messages are being delivered."
    ),
    "ops.channel.console": "Console",
    "report.usage": "Usage: report [days], e.g. report 7 (1-366 days).",
    "report.title_line": "Desk report {since} – {until} ({zone})",
    "report.opened": "Tickets opened: {count} ({counts})",
    "report.none": "No tickets were opened in this period.",
    "report.by_severity": "By severity",
    "report.by_channel": "By channel",
    "report.group": (
        "• {name}: {opened} opened · MTTA {mtta} · MTTR {mttr} · SLA ack {ack} · "
        "resolve {resolve}{business}"
    ),
    "report.business": " (business hours)",
    "report.median_p90": "{median} median, {p90} p90",
    "report.na": "n/a",
    "report.sla": "{met}/{decided} met ({percent})",
    "report.breaches": "SLA breaches ({count}): {items}",
    "report.kb": (
        "Knowledge base: {asked} questions, {answered} answered, helpful {helpful_rate} "
        "({helpful} of {rated} rated), deflection {deflection} ({deflected} without a ticket)"
    ),
    "report.chart_title": "Desk report {since} – {until}",
    "report.chart_tickets": "Tickets opened per week",
    "report.chart_times": "Median time per week (hours)",
    # The program document's own severity definitions.
    "definition.critical": "System is unusable or data integrity is compromised.",
    "definition.major": "Significant issues affecting performance or functionality.",
    "definition.minor": "Non-critical issues causing inconvenience but not system failure.",
}

# The language of what is being written right now: set for each turn to the person's language,
# and around team-facing texts to the team's. Flows never pass a language around.
_language: ContextVar[str] = ContextVar("deskbot_language", default=SOURCE_LANGUAGE)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Render every `t(...)` inside the block in `language`."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def translate(language: str, key: str) -> str:
    """The template for `key` in `language`; English when the catalog has no translation."""
    english = EN[key]
    if language == SOURCE_LANGUAGE:
        return english
    return translations(language).pgettext(key, english)


class Catalog:
    """`t(key, **values)`: the message in the current language, placeholders filled in."""

    @property
    def language(self) -> str:
        return _language.get()

    def __call__(self, key: str, **values: Any) -> str:
        template = translate(_language.get(), key)
        return template.format(**values) if values else template

    def word(self, group: str, value: str | None) -> str:
        """A stored enum value (status, severity...) as shown to people."""
        if value is None:
            return self("none")
        key = f"{group}.{value}"
        return self(key) if key in EN else value


class _Definitions(Mapping[str, str]):
    """The severity definitions in the current language (`**SEVERITY_DEFINITIONS` works)."""

    def __getitem__(self, severity: str) -> str:
        return t(f"definition.{severity}")

    def __iter__(self) -> Iterator[str]:
        return iter(("critical", "major", "minor"))

    def __len__(self) -> int:
        return 3


t = Catalog()
SEVERITY_DEFINITIONS: Mapping[str, str] = _Definitions()
