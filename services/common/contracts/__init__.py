"""Contracts between services: the event registry (events.py: each event's name, version,
producer, payload schema and consumers) and the field helpers its schemas share (fields.py:
money as a string, percentages). RPC answers have no contract module here: each service's
presenters shape them. Consumers load with unknown=EXCLUDE; fields are only added; a breaking
change is a new event name or a new version."""
