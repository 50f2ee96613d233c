"""Contracts between services: the event registry (events.py: each event's name, version,
producer, payload schema and consumers), the wire schemas that more than one side dumps with
(catalogue.py: articles and collectivity clients, answered by the librisoft_bridge's RPCs and by
the gateway's API; documents.py: the answer of `order_document(kind, number)` (grouped_orders
and baskets; invoicing and logistics read it), whose schema refuses a document that does not
add up) and the field helpers their schemas share (fields.py: money as a string, percentages,
`texts(n)`...). Other RPC answers have no contract module here: each service's presenters shape
them and the gateway's API schemas describe them. Consumers load with unknown=EXCLUDE; fields
are only added; a breaking change is a new event name or a new version."""
