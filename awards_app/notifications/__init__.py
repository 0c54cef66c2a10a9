"""E-mail notifications: an outbox written with the change that caused each message, sent by the
job queue after the commit."""
