"""Team commands, notices to the reporter, team alerts and escalation pages.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # Team commands
    "team.refused": "Sorry, that is for the integration team only.",
    "team.usage": "Usage: {usage}",
    "team.acknowledged": "{reference} acknowledged by {actor}.",
    "team.already_acknowledged": "{reference} was already acknowledged by {actor}.",
    "team.taken": "{reference} is now with {actor}.",
    "team.assigned": "{reference} assigned to {assignee}.",
    "team.assigned_to_you": "{actor} assigned {reference} to you: {title}",
    "team.member_unnamed": "a team member",
    "team.unknown_member": "{member} is not a team member. Members: {members}",
    "team.resolved": "{reference} resolved by {actor}.",
    "team.resolve_too_many": (
        "Only the first {limit} references were resolved; send the rest again."
    ),
    "team.blocked": (
        "{identity} is blocked until {until}: the desk answers them with a notice and reads "
        "nothing else. Lift it with: unblock {identity}"
    ),
    "team.unblocked": "{identity} is no longer blocked.",
    "team.not_blocked": "{identity} was not blocked.",
    "team.block.bad_identity": (
        "“{identity}” is not a reporter identity. Write it as in the team notice: "
        "telegram:<user id>, slack:<user id> or console:<name>."
    ),
    "team.block.bad_hours": "Hours must be a whole number from 1 to {max}.",
    "team.block.member": "{identity} is a team member and cannot be blocked.",
    "limits.open_tickets": (
        "You have {count} open tickets, the most the desk takes from one person at a time. "
        "To add to one of them, just type your message; or wait until one is resolved."
    ),
    "limits.tickets_per_hour": (
        "You have reported {count} issues in the last hour, the most the desk takes from one "
        "person. Please try again in {minutes} minutes."
    ),
    "limits.critical_per_hour": (
        "You have reported {count} Critical issues in the last hour, the most the desk takes "
        "from one person. Choose Major to send this report now, or try Critical again in "
        "{minutes} minutes."
    ),
    "limits.messages": (
        "You are sending messages faster than the desk can read them (more than {limit} a "
        "minute). Please wait a minute: messages sent meanwhile are not read."
    ),
    "limits.blocked": (
        "The integration team has paused your messages to the desk until {until}. For anything "
        "urgent, contact your integration manager."
    ),
    "limits.team_notice": (
        "⚠ {name} ({identity}) is over the report limit: {reason}. To stop their messages: "
        "block {identity} [hours]"
    ),
    "limits.reason.open": "{count} open tickets",
    "limits.reason.hour": "{count} tickets in the last hour",
    "limits.reason.critical": "{count} Critical tickets in the last hour",
    "limits.reason.messages": "more than {limit} messages a minute",
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
    "digest.state_language": "{state}, writes in {language}",
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
}
