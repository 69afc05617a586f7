"""Bodies, terms, sessions, people, roles; event log, notifications, attachments, working days."""
