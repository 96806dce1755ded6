"""Attachment texts: files received, refused, routed to a ticket, and the team's copy.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # Merchant-facing
    "attach.unsupported": (
        "I can't add that to a ticket. I take text, photos and screenshots, documents (PDF, "
        "logs, spreadsheets), videos, audio and voice notes."
    ),
    "attach.empty": "{name} is empty (0 bytes), so I did not keep it. Please send it again.",
    "attach.too_big": (
        "{name} is {size}; the desk takes files up to {limit}. Please send a smaller file, or a "
        "screenshot of the part that matters."
    ),
    "attach.too_many": "{reference} already has {limit} attachments, so {name} was not added.",
    "attach.mismatch": (
        "{name} does not contain what its name says (its content is {detected}), so it was not "
        "added to {reference}. Please send it again under its right name."
    ),
    "attach.unavailable": (
        "I could not fetch {name} to add it to {reference}. Please send it again."
    ),
    "attach.added": "Added {names} to {reference} ({status}). The team will see it.",
    "attach.which": "Which ticket is {names} about?",
    "attach.to": "Add to {reference}: {title}",
    "attach.new_report": "Report a new issue with it",
    "attach.removed": "Taken {names} off {reference}.",
    "attach.expired": "I no longer have that file; please send it again.",
    "attach.closed": "{reference} is {status} now, so I did not add {names} to it.",
    "attach.start_report": "Got {names}. Let's open a ticket for it.",
    "attach.redacted": (
        "🔒 For your safety I hid the {what} in {name} before saving it: nobody at the desk "
        "can read it."
    ),
    "attach.no_file": "There is no file at {path}.",
    "attach.console_usage": "Usage: attach PATH (a file on this computer).",
    # The report flow
    "report.files.hint": (
        "Screenshots and logs help: send them with your description, or at any step before "
        "you confirm."
    ),
    "report.files": ("Send screenshots or logs now (as many as you like), or tap Continue."),
    "report.files.console": (
        "Send screenshots or logs now with attach PATH (as many as you like), or type continue."
    ),
    "report.files.after_form": (
        "Screenshots or logs? Send them here and I will add them to {reference}."
    ),
    "report.files.continue": "Continue",
    "report.files.got": (
        "Got {names} ({count} so far). Send more screenshots or logs now, or tap Continue."
    ),
    "report.files.added_text": "Added to the details. Send files, or tap Continue.",
    "report.files.details_needed": (
        "Got {names}. Please also describe what happened, in a sentence or two."
    ),
    "report.files.kept": "Got {names}; it will be attached to this report.",
    "report.summary.files": "Attachments: {count}",
    "followup.long": (
        "Your message is {length} characters: the first part is added to {reference} and the "
        "whole text is attached as details.txt."
    ),
    "report.details.long": (
        "Your text is {length} characters: the first part is kept as the details and the "
        "whole text is attached as details.txt."
    ),
    # Team-facing
    "timeline.attachment": "📎 {reference} · {sender}: {name} ({mime}, {size}){caption}",
    "timeline.attachment_internal": (
        "📎 {reference} · internal, from {sender}: {name} ({mime}, {size}){caption}"
    ),
    "timeline.attachment_failed": "{reference}: attachment {name} was not kept ({reason}).",
    "timeline.attachment_removed": "{reporter} says {names} is not about {reference}.",
    "attach.internal_added": (
        "Added {names} to {reference} as internal (not shown to the reporter)."
    ),
    "attach.status.pending": "attachment pending",
    "attach.status.stored": "stored",
    "attach.status.failed": "not kept",
    "attach.status.duplicate": "already attached",
    "attach.line": "{number}. {name} · {mime} · {size} · {status}",
    "attach.header": "Attachments:",
}
