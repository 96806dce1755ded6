"""The integration program: merchants' projects from request to go-live, as its own domain
next to tickets (request, progress and UAT flows, team commands, scheduled reminders)."""
