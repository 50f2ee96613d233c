"""Contracts between services: the event registry (events.py: each event's name, version,
producer, payload schema and consumers) and the field helpers its schemas share (fields.py:
money as a string, percentages). RPC answers are shaped by each service's presenters, save one
shared by two owners: documents.py, the answer of `order_document(kind, number)` (grouped_orders
and baskets; invoicing and logistics read it), whose schema refuses a document that does not
add up. Consumers load with unknown=EXCLUDE; fields are only added; a breaking
change is a new event name or a new version."""
