"""The team reading everything in chat (`show`, `find`, `mine`, `digest`, details on alerts and
pages) and times people read (business hours, when to expect an answer).

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # The team's command list, and what an unknown word gets in the team's context
    "teamview.commands": (
        "Reading: show REF (details, conversation, SLA and events of a ticket), "
        "find <words> (tickets that mention them), mine (tickets assigned to you), "
        "digest (today's digest, sent to you)"
    ),
    "teamview.unknown": "I don't know the command “{command}”. Team commands:\n{commands}",
    # Details on alerts and pages
    "alert.details": "Details:\n{details}",
    "alert.details_more": "…full text: show {reference}",
    "page.environment": "Environment: {environment}",
    # `show REF`
    "show.head": "{reference} · {kind} · {severity} · {environment} · {status}",
    "show.title": "Title: {title}",
    "show.reporter": "Reporter: {reporter}",
    "show.language": "Merchant's language: {language}",
    "show.opened": "Opened: {when} ({age} ago)",
    "show.assignee": "Assigned to: {assignee}",
    "show.unassigned": "Assigned to: nobody yet",
    "show.acknowledged": "Acknowledged by {actor}, {when}",
    "show.unacknowledged": "Not acknowledged yet",
    "show.resolved": "Resolved by {actor}, {when}",
    "show.sla": "SLA: {clocks}",
    "show.sla.none": "SLA: no deadline for this ticket",
    "show.sla.clock": "{name} by {due} ({state})",
    "show.sla.acknowledge": "acknowledge",
    "show.sla.resolve": "resolve",
    "show.sla.ok": "on time",
    "show.sla.at_risk": "at risk",
    "show.sla.breached": "breached",
    "show.sla.met": "met",
    "show.details": "Details:",
    "show.no_details": "Details: none",
    "show.clipped": "… {count} more characters not shown",
    "show.transcript": "Conversation ({count} messages):",
    "show.no_transcript": "Conversation: no messages yet",
    "show.entry": "{when} · {author} · {mark}:",
    "show.mark.public": "seen by the merchant",
    "show.mark.internal": "internal note",
    "show.earlier": "… {count} earlier messages not shown",
    "show.events": "Last events:",
    "show.event": "{when} · {actor} · {what}",
    "show.event.changed": "{field}: {old} → {new}",
    "show.event.created": "opened",
    "show.facts": "Payment details found:",
    "show.fact": "• {kind}: {values}",
    "show.usage": "Usage: show REF, for example: show {prefix}-4",
    # `find <words>`
    "find.usage": "Usage: find <words>, for example: find webhook 401",
    "find.none": "No ticket mentions {words}.",
    "find.header": "{count} ticket(s) mention {words}, newest first:",
    "find.more": "Only the newest {limit} are shown; add words to narrow the search.",
    # `mine`
    "mine.none": "No open tickets are assigned to you.",
    "mine.header": "{count} open ticket(s) assigned to you:",
    "mine.own": "Tickets you reported yourself:",
    # Slack's `/desk` help for these commands
    "slack.usage.teamview": (
        "{command} show {prefix}-42: everything about a ticket · {command} find <words>: "
        "search tickets · {command} mine: tickets assigned to you · {command} digest: "
        "today's digest, to you"
    ),
    # Outside business hours, when a ticket is filed
    "afterhours.back": "It is outside business hours now; the team is back {back}.",
    "afterhours.answer_business": (
        "{severity}: we answer within {hours} business hours, by {due}."
    ),
    "afterhours.answer": "{severity}: we answer within {duration}, by {due}.",
    "afterhours.paged": "{severity}: the team is paged now, day or night.",
}
