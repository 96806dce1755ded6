"""Escalation and SLA logic: durations, business hours, the policy and the pure planner."""
