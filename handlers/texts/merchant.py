"""Merchant-facing texts: menu, language, report and ask flows, follow-ups, merchant commands.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # Menu and help
    "menu": (
        "Hi {name}, I'm the ClickPesa integration desk.\n"
        "• report: report an integration issue (you choose its severity)\n"
        "• ask <question>: ask an integration question\n"
        "• status <reference>: see where one of your tickets stands\n"
        "• mytickets: list your tickets\n"
        "• integrate: request integration with ClickPesa\n"
        "• progress: where your integration project stands\n"
        "• uat: run your project's UAT test cases\n"
        "• cancel: stop what we're doing\n"
        "• language: English or Kiswahili\n"
        "Integration Team: +255 753 308 308"
    ),
    "menu.team": (
        "Team commands: ack REF, take REF, assign REF <member>, resolve REF [REF...] [note], "
        "note REF <text> (internal), reply REF <text> (to the reporter), "
        "list [open|critical|major|minor], report [days] (figures for the last days), "
        "block <channel:id> [hours], unblock <channel:id>"
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
    # Confirm pressed again (a double tap) after the report was filed.
    "report.already_filed": (
        "You pressed Confirm again: this report was already logged as {reference}."
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
}
