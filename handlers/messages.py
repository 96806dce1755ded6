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
        "• integrate: request integration with ClickPesa\n"
        "• progress: where your integration project stands\n"
        "• uat: run your project's UAT test cases\n"
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
    "team.assigned_to_you": "{actor} assigned {reference} to you: {title}",
    "team.member_unnamed": "a team member",
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
    "report.projects": "Integration projects per stage",
    "report.stage_days": "Median days per stage (stages finished in the period)",
    "report.chart_title": "Desk report {since} – {until}",
    "report.chart_tickets": "Tickets opened per week",
    "report.chart_times": "Median time per week (hours)",
    # The program document's own severity definitions.
    "definition.critical": "System is unusable or data integrity is compromised.",
    "definition.major": "Significant issues affecting performance or functionality.",
    "definition.minor": "Non-critical issues causing inconvenience but not system failure.",
    # The integration program (handlers/program/)
    # Menu
    "menu.team.program": (
        "Projects: projects [stage], project PRJ-3, accept PRJ-3, take PRJ-3, reply PRJ-3 <text>, "
        "note PRJ-3 <text>, owner PRJ-3 <member>, check PRJ-3 <n>, advance PRJ-3 [note], "
        "uatcase PRJ-3 add <title>, confirm PRJ-3, golive PRJ-3 YYYY-MM-DD HH:MM"
    ),
    "menu.choice.integrate": "Request integration",
    "prj.yes": "Yes",
    "prj.no": "No",
    "prj.choose_yes_no": "Please answer Yes or No.",
    # integrate
    "prj.integrate.account": (
        "Let's request your integration with ClickPesa. Do you have an active ClickPesa "
        "merchant account?"
    ),
    "prj.integrate.no_account": (
        "An active ClickPesa merchant account comes first: open one, and complete KYC in the "
        "dashboard under Settings > KYC (questions: compliance@clickpesa.com). Then type "
        "integrate again. Nothing was filed. Integration Team: +255 753 308 308"
    ),
    "prj.integrate.already": (
        "We are already in the middle of your integration request: answer the question above, "
        "or type cancel to stop."
    ),
    "prj.integrate.pending": (
        "Your request {reference} is already waiting for the Integration Team. Type progress "
        "to follow it."
    ),
    "prj.integrate.name": "What is your business name?",
    "prj.integrate.name_empty": "Please type your business name.",
    "prj.integrate.known": "This request is for {name} (merchant account {account}).",
    "prj.integrate.account_id": "Your ClickPesa merchant account id?",
    "prj.integrate.account_id_empty": "Please type your merchant account id.",
    "prj.integrate.overview": "In a few sentences: what is your project, and what should it do?",
    "prj.integrate.overview_empty": "Please describe your project; even one sentence helps.",
    "prj.integrate.objectives": (
        "Which integration objectives? Choose one or more, then Done (or type them, "
        "separated by commas)."
    ),
    "prj.integrate.objectives_chosen": "Chosen: {chosen}. Choose more, or Done.",
    "prj.integrate.objectives_done": "Done",
    "prj.integrate.objectives_none": "Please choose at least one objective first.",
    "prj.integrate.objectives_unknown": (
        "I didn't recognise that. Please choose from the options (several are fine)."
    ),
    "prj.integrate.systems": (
        "Which systems are involved? Platform, language and framework, e.g. "
        "“Web shop on WooCommerce (PHP)”."
    ),
    "prj.integrate.systems_empty": "Please name the systems involved.",
    "prj.integrate.target": "Target go-live date (YYYY-MM-DD)? Optional: press Skip.",
    "prj.integrate.skip": "Skip",
    "prj.integrate.target_bad": (
        "“{text}” is not a date like 2027-03-01. Please try again, or Skip."
    ),
    "prj.integrate.target_past": "{date} is not in the future. Please give a later date, or Skip.",
    "prj.integrate.no_target": "not set",
    "prj.integrate.summary": (
        "Please check your integration request:\n"
        "Business: {name} (merchant account {account})\n"
        "Project: {overview}\n"
        "Objectives: {objectives}\n"
        "Systems: {systems}\n"
        "Target go-live: {target}\n"
        "Send it to the Integration Team?"
    ),
    "prj.integrate.created": (
        "Thank you. Your integration request is {reference}. The Integration Team will review "
        "it and agree scope and objectives with you; I'll tell you here at every step. "
        "Follow it any time with: progress"
    ),
    # finding projects
    "prj.ref.missing": "Please name a project, for example: {usage}",
    "prj.ref.malformed": (
        "“{text}” doesn't look like a project reference. They look like {prefix}-3."
    ),
    "prj.ref.not_found": "I couldn't find a project {reference}.",
    "prj.none": "You have no integration project yet. Type integrate to request one.",
    "prj.which": "You have several projects ({references}). Please name one: {usage} PRJ-3",
    "prj.changed_meanwhile": "{reference} changed meanwhile; nothing was done. Please look again.",
    # progress
    "prj.progress.header": "{reference} · current stage: {stage}",
    "prj.progress.current": "▶ {stage} (current)",
    "prj.progress.checklist": "Checklist for {stage}:",
    "prj.progress.wait.items": "Still open: {items}",
    "prj.progress.wait.requested": "Waiting for the Integration Team to accept your request.",
    "prj.progress.wait.uat_run": "Waiting for you: run the UAT cases (type uat).",
    "prj.progress.wait.uat_signoff": "Waiting for you: sign UAT off (type uat signoff).",
    "prj.progress.wait.golive_date": "Waiting for the Integration Team to set the go-live date.",
    "prj.progress.wait.team": "Nothing is waiting on you; the Integration Team moves it on.",
    "prj.progress.wait.live": "Your integration is live. Report any issue with: report",
    "prj.progress.owner": "Your contact in the Integration Team: {owner}",
    "prj.progress.no_owner": "not assigned yet",
    "prj.progress.next": "Next stage: {stage}. It needs: {needs}",
    "prj.progress.go_live": "Go-live: {at}",
    "prj.checklist.empty": "(no checklist items)",
    # UAT
    "prj.uat.header": "UAT cases for {reference}:",
    "prj.uat.optional": " (optional)",
    "prj.uat.case": "Case {n}: {title}",
    "prj.uat.ask_result": "Case {n}: {title}\nDid it pass?",
    "prj.uat.pass": "Pass",
    "prj.uat.fail": "Fail",
    "prj.uat.choose": "Please choose Pass or Fail.",
    "prj.uat.usage": "Usage: uat, uat <case> pass, uat <case> fail, or uat signoff",
    "prj.uat.no_case": "There is no UAT case {n} on {reference}. Type uat to see them.",
    "prj.uat.not_open": "UAT is not open on {reference}: it is at {stage}.",
    "prj.uat.ask_what": (
        "Case {n} failed: {title}\nWhat happened? Paste error messages, request ids or order "
        "references."
    ),
    "prj.uat.passed": "Case {n} passed. Thank you.",
    "prj.uat.already": "Case {n} is already {status}.",
    "prj.uat.failed": (
        "Case {n} is marked failed and logged as {ticket} (Staging), linked to your project. "
        "When it is fixed, run it again: uat {n} pass"
    ),
    "prj.uat.ticket_title": "UAT case {n} failed: {title}",
    "prj.uat.all_passed": "Every required UAT case has passed. Sign UAT off?",
    "prj.uat.signoff": "Sign off UAT",
    "prj.uat.cannot_sign": "UAT can't be signed off yet. Not passed: {cases}",
    "prj.uat.signed": (
        "Thank you: UAT on {reference} is signed off from your side. The Integration Team "
        "confirms and schedules go-live with you."
    ),
    "prj.uat.signed_already": "UAT on {reference} is already signed off from your side.",
    # Notices to the merchant
    "prj.notify.stage": "Your integration {reference} moved to the stage: {stage}.{note}",
    "prj.notify.owner": "{owner} from the Integration Team is your contact for {reference}.",
    "prj.notify.reply": "The Integration Team wrote about {reference}:\n{text}",
    "prj.notify.team_signed": "The Integration Team signed UAT off on {reference}.",
    "prj.notify.golive": "Go-live for {reference} is set for {at}.",
    "prj.notify.reminder_day": "Reminder: {reference} goes live tomorrow, {at}.",
    "prj.notify.reminder_hour": "Reminder: {reference} goes live in one hour, {at}.",
    "prj.notify.going_live": (
        "{reference} is going live now (stage: Go-live). The Integration Team confirms when "
        "it is live."
    ),
    # Team alerts and answers
    "prj.alert.new": (
        "New integration request {reference}\n"
        "Business: {name} (merchant account {account})\n"
        "Requested by: {requester}\n"
        "Project: {overview}\n"
        "Objectives: {objectives}\n"
        "Systems: {systems}\n"
        "Target go-live: {target}"
    ),
    "prj.alert.accept": "Accept",
    "prj.alert.take": "Take",
    "prj.alert.ask": "Ask for details",
    "prj.team.stage": "{reference} is now at {stage} ({actor}).",
    "prj.team.uat_passed": "{reference}: UAT case {n} passed ({title}), by {actor}.",
    "prj.team.merchant_signed": "{reference}: the merchant ({actor}) signed UAT off.",
    "prj.team.golive": "{reference}: go-live set for {at} by {actor}.",
    "prj.team.stalled": (
        "{reference} has been at {stage} for {days} business days with no change. "
        "Type project {reference} to see what is open."
    ),
    "prj.digest.stalled": "Stalled integration projects: {count}",
    "prj.digest.line": "• {reference} at {stage} (owner {owner})",
    "prj.list.none": "No projects match.",
    "prj.list.header": "{count} project(s), stalled first:",
    "prj.list.line": "{reference} · {name} · {stage} · {age} · owner {owner}{stalled}",
    "prj.list.stalled": " · STALLED",
    "prj.bad_stage": "“{stage}” is not a stage. Stages: {stages}",
    "prj.detail.header": (
        "{reference} · {name} (merchant account {account})\nStage: {stage} · Owner: {owner}"
    ),
    "prj.detail.overview": "Project: {overview}",
    "prj.detail.scope": "Objectives: {objectives}\nSystems: {systems}\nTarget go-live: {target}",
    "prj.detail.history": "Stage history:",
    "prj.detail.uat": "UAT cases:",
    "prj.detail.signoffs": "Sign-offs: merchant {merchant}, team {team}",
    "prj.detail.tickets": "Tickets: {tickets}",
    "prj.accept.not_requested": "{reference} is not waiting for acceptance: it is at {stage}.",
    "prj.accepted": "{reference} accepted; now at {stage}.",
    "prj.owner.already": "{reference} is already with {owner}.",
    "prj.owner.set": "{reference} is now with {owner}.",
    "prj.text_missing": "Please add the text: {usage}",
    "prj.replied": "Sent to the merchant of {reference}.",
    "prj.noted": "Internal note added to {reference}.",
    "prj.check.no_item": "There is no item {n} in the {stage} checklist (it has {count}).",
    "prj.check.already": "Item {n} is already done: {item}",
    "prj.check.done": "{reference}: checked {n}. {item} ({remaining} open).",
    "prj.advance.live": "{reference} is live: there is no stage after it.",
    "prj.advance.open_items": (
        "{reference} can't advance: open checklist items: {items}. Check them, or "
        "advance {reference} force <reason>."
    ),
    "prj.advance.force_reason": "Please give the reason: advance {reference} force <reason>",
    "prj.advance.forced_note": "forced: {reason}",
    "prj.advance.signoffs": "{reference} needs both UAT sign-offs (merchant and team) first.",
    "prj.advanced": "{reference} is now at {stage}.",
    "prj.uatcase.added": "{reference}: UAT case {n} added: {title}",
    "prj.uatcase.closed": "{reference}: UAT is signed off; no cases can be added now.",
    "prj.confirm.already": "{reference}: the team already signed UAT off ({actor}).",
    "prj.confirmed": "{reference}: the team's UAT sign-off is recorded.",
    "prj.golive.bad": "“{text}” is not a date and time. Usage: golive {reference} YYYY-MM-DD HH:MM",
    "prj.golive.past": "{at} is in the past. Please give a future date and time.",
    "prj.golive.stage": "Go-live can be set only at UAT; {reference} is at {stage}.",
    "prj.golive.set": "{reference}: go-live set for {at}.",
    "prj.live_merchant": "live merchant",
    # Words
    "stage.requested": "Requested",
    "stage.scope": "Scope and objectives",
    "stage.documentation": "Documentation",
    "stage.data_mapping": "Data mapping",
    "stage.security": "Security and compliance",
    "stage.staging": "Staging",
    "stage.uat": "UAT",
    "stage.go_live": "Go-live",
    "stage.live": "Live",
    "objective.ussd_push": "Collections by USSD push",
    "objective.card": "Card payments",
    "objective.payout": "Payouts to mobile money or bank",
    "objective.billpay": "BillPay control numbers",
    "objective.checkout": "Checkout link",
    "objective.other": "Other",
    "uat_status.not_run": "not run",
    "uat_status.pass": "passed",
    "uat_status.fail": "failed",
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


def set_language(language: str) -> None:
    """Switch the current context's language until the enclosing `speaking` block ends."""
    _language.set(language)


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
