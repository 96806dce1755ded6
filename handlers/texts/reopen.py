"""Reopening resolved tickets, "Did this solve it?", and what paging will really do.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # The offer to a merchant writing about a recently resolved ticket
    "reopen.offer": (
        "{reference} ({title}) was resolved {ago} ago. Is your message about it?\n"
        "(You can also type: reopen or new)"
    ),
    "reopen.choice.reopen": "Reopen {reference}",
    "reopen.choice.new": "It's something new",
    # Reopening, whoever asks
    "reopen.done": (
        "{reference} is open again and the integration team has been told. I'll tell you here "
        "when someone picks it up."
    ),
    "reopen.done_team": "{reference} reopened by {actor}.",
    "reopen.notice": (
        "Your ticket {reference} ({title}) was reopened by the integration team. I'll tell you "
        "here when it is resolved."
    ),
    "reopen.already": "{reference} is already open again.",
    "reopen.not_resolved": (
        "{reference} is not resolved (it is {status}), so there is nothing to reopen. To add "
        "to it, just write your message."
    ),
    "reopen.too_old": (
        "{reference} was resolved {ago} ago, more than {days} days ago, so it cannot be "
        "reopened. Please report it as a new issue."
    ),
    "reopen.choice.report": "Report a new issue",
    "reopen.usage": "Usage: reopen {prefix}-42",
    "command.reopen": "Reopen a resolved ticket: /reopen {prefix}-42",
    "slack.usage.reopen": "{command} reopen {prefix}-42: reopen a resolved ticket",
    "alert.reopen": "Reopen",
    "reopen.timeline": "🔁 {reference} reopened by {actor}",
    "reopen.timeline_text": "🔁 {reference} reopened by {actor}:\n{text}",
    # "Did this solve it?" after a resolve
    "csat.question": "Did this solve it? Press or type 👍 or 👎.",
    "csat.thanks": "Thank you! Glad {reference} is solved.",
    "csat.sorry": (
        "Sorry {reference} is not solved. Shall I reopen it, or is it something new?\n"
        "(You can also type: reopen or new)"
    ),
    "csat.already": "You already answered for {reference}. Thank you!",
    "csat.stale": "That answer is for an earlier resolve of {reference}; it was reopened since.",
    "csat.timeline": "{reference}: the reporter answered {answer} to “Did this solve it?”",
    # What a Critical reporter is told about paging: only what the policy will do
    "paging.now": "The integration team is being paged now.",
    "paging.repeats": (
        "Until someone acknowledges it, the page is sent again up to {count} more times over "
        "the next {span}."
    ),
    "paging.repeats_business": (
        "Until someone acknowledges it, the page is sent again up to {count} more times over "
        "the next {span} of business hours."
    ),
    "paging.leads_last": "The last page also goes to the team leads.",
    "paging.leads_once": "The team leads get the page too.",
    "paging.then": "I'll tell you here when someone acknowledges it and when it is resolved.",
    # The last page of a sequence
    "page.last": (
        "This is the last page for {reference}: no more pages will be sent. Leads, please make "
        "sure someone acknowledges it."
    ),
    # The ops report
    "report.reopen_rate": "Reopen rate",
    "report.reopen_rate_value": "{percent}% ({reopens} reopened of {resolutions} resolved)",
    "report.satisfaction": "Solved, by the reporters' answers",
    "report.satisfaction_value": "{percent}% 👍 ({solved} 👍, {unsolved} 👎)",
}
