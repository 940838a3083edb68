"""The background worker: polling connector accounts, the outbox, SLA and escalation clocks."""
