"""Grouped orders use cases: the transactions. Each takes a session (the unit of work, committed
by the caller: `store.run` / `store.once`), `now`, and `record(session, event, payload)` for
events; RPC, events and tests call them alike. Each loads rows, asks the domain for the
decision, persists it and records the events (presenters build what goes out).

- `initiator`: creating a grouped order, the initiator's list and detail, the deadline;
- `buyers`: the public page, subscribing, starting a payment;
- `payment_events`: payment_succeeded / payment_failed / payment_refunded;
- `bookshop`: the tabs, the bookshop's actions, the deadline timer;
- `librisoft_events`: classic_order_status_changed;
- `capacity`: the minimum and the cap (issue 10): copies held, room left, the public progress,
  the initiator's limits, the failure below the minimum;
- `load`: finding (and locking) the rows the others work on."""
