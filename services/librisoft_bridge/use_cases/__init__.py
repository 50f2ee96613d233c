"""The bridge's transactions, `fn(session, ...)`: load -> domain rule -> persist -> record the
event, run by the service in one transaction each (`self.store.run`):

- `imports`: Librisoft's article and client feeds (idempotent upserts);
- `queries`: the catalogue and the collectivity clients, read;
- `classic_orders`: classic orders made from events, cancelled with their source, and read;
- `pickup`: Librisoft's pickup, status and cancellation acknowledgement."""
