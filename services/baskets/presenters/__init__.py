"""What the baskets service returns over RPC and carries in its events: `baskets` (baskets,
their lines and prices), `documents` (quote requests and orders, their event payloads)."""
