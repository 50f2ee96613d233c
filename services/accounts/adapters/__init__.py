"""The accounts service's outside world: password hashing (argon2id, CPU-bound on purpose)."""
