"""The notifications service's outside world: the mail transport (files or SMTP)."""
