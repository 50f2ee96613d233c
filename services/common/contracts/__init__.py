"""Contracts between services: event payloads (events.py) and RPC payloads (one module per
service). Consumers load with unknown=EXCLUDE; fields are only added; a breaking change is a new
event name or a new version."""
