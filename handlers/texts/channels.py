"""Channel specifics (Telegram, Slack), command menus and words used inside other messages.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # Channel adapters: Telegram and Slack specifics
    "telegram.failed": "Sorry, something went wrong on our side. Please try again in a moment.",
    "telegram.private_only": (
        "I take reports and questions in a private chat: open a chat with @{username}."
    ),
    "slack.failed": "Sorry, something went wrong on our side. Please try again in a moment.",
    "slack.choice.not_yours": "These buttons are for the person the question was asked of.",
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
    "slack.usage.assign": "{command} assign {prefix}-42 <name or id>: give a ticket to a member",
    "slack.usage.reply": "{command} reply {prefix}-42 <text>: answer the merchant",
    "slack.usage.block": (
        "{command} block|unblock slack:<user id> [hours]: stop a reporter who floods the desk"
    ),
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
    "slack.usage.program": (
        "{command} integrate: request integration (opens a form) · {command} progress [PRJ-3]: "
        "where your project stands · {command} uat: your UAT cases"
    ),
    "slack.usage.program_team": (
        "{command} projects [stage] · {command} project|accept|take|confirm PRJ-3 · "
        "{command} check PRJ-3 <n> · {command} advance PRJ-3 [note] · "
        "{command} golive PRJ-3 YYYY-MM-DD HH:MM: the integration program"
    ),
    "slack.integrate.modal_title": "Request integration",
    "slack.integrate.submit": "Send",
    "slack.integrate.account_yes": "Yes, we have an active ClickPesa merchant account",
    "slack.integrate.objectives": "Integration objectives (one or more)",
    "slack.integrate.target": "Target go-live date (optional)",
    "slack.integrate.required": "Please fill this in.",
    "slack.integrate.no_account": (
        "An active ClickPesa merchant account comes first (complete KYC under Settings > KYC). "
        "Nothing is filed until then."
    ),
    "slack.integrate.headline": "🔗 {user} requested integration with ClickPesa",
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
    "command.integrate": "Request integration with ClickPesa",
    "command.progress": "Where your integration project stands",
    "command.uat": "Run your project's UAT test cases",
    "command.list": "Open tickets: /list [open|critical|major|minor]",
    "command.ack": "Acknowledge: /ack {prefix}-42",
    "command.take": "Take a ticket: /take {prefix}-42",
    "command.assign": "Assign: /assign {prefix}-42 <member>",
    "command.resolve": "Resolve: /resolve {prefix}-42 [note]",
    "command.note": "Internal note: /note {prefix}-42 <text>",
    "command.reply": "Message the merchant: /reply {prefix}-42 <text>",
    "command.projects": "Integration projects: /projects [stage]",
    "command.project": "Everything about one project: /project PRJ-3",
    "command.advance": "Next stage: /advance PRJ-3 [note]",
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
}
