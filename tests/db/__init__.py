"""Real PostgreSQL and Redis servers, seed data and page extraction for the runbook query tests."""
