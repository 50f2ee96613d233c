"""What every service needs, written once: configuration, database, contracts, outbox, inbox."""
