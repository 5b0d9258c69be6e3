"""Header cards: at the top of each runbook and of each alert's section, what an on-call
engineer checks first (severity, the alerts with links to their rule, dashboard and
PagerDuty service, owner, last update, next review)."""
