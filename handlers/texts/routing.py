"""Texts of free-text routing (handlers/routing): follow-ups and status questions added to an
active ticket, the question "About INT-4 or something new?", the offer when the knowledge base
has no answer, and urgent messages."""

EN: dict[str, str] = {
    "routing.followup.added": (
        "I've added your message to {reference}; the team will see it.\n{line}"
    ),
    "routing.status.recorded": "I've noted your message on {reference} for the team.",
    "routing.undo": "Not about {reference}",
    "routing.undone": ("I've taken your message off {reference}. What shall I do with it?"),
    "routing.undo.gone": "That message is no longer on {reference}; nothing was changed.",
    "routing.no_tickets": (
        "You have no open tickets. If something is wrong, report it and the integration team "
        "will look at it."
    ),
    "routing.no_answer": (
        "I don't have a ready answer for that. Shall I report it as an issue, or ask the "
        "integration team?"
    ),
    "routing.choice.report": "Report an issue",
    "routing.choice.ask": "Ask the team",
    "routing.urgent": (
        "This sounds urgent. Report it as Critical and the integration team is paged right "
        "away, day or night, until someone acknowledges it."
    ),
    "routing.choice.critical": "Report as Critical",
    "routing.about_or_new": "Is this about {reference}, or something new?\n{line}",
    "routing.about_which_or_new": "Is this about one of your open tickets, or something new?",
    "routing.choice.new": "Something new",
    "routing.severity.preset": "Severity: Critical (chosen because you said it is urgent).",
    "timeline.followup_undone": (
        "{reporter} says their last message was not about {reference}; it was taken off the ticket."
    ),
}
