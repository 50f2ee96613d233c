"""The replica of Librisoft's collectivity clients (published by librisoft_bridge)."""


def newer_revision(stored_revision, incoming_revision) -> bool:
    """A client update is applied only if it is newer than what we hold (events may arrive out
    of order or twice)."""
    return stored_revision is None or incoming_revision > stored_revision
