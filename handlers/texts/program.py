"""The integration program (handlers/program/).

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # The integration program (handlers/program/)
    # Menu
    "menu.team.program": (
        "Projects: projects [stage], project PRJ-3, accept PRJ-3, take PRJ-3, reply PRJ-3 <text>, "
        "note PRJ-3 <text>, owner PRJ-3 <member>, check PRJ-3 <n>, advance PRJ-3 [note], "
        "uatcase PRJ-3 add <title>, confirm PRJ-3, golive PRJ-3 YYYY-MM-DD HH:MM, "
        "link|unlink PRJ-3 telegram:<id>|slack:<id>"
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
