"""The one place an owner's event moves an order's progress on the desk.

`apply_owner_progress` is what every consumer calls when the owner's event implies a progress
change (domain/mapping.py). For now it sets the register's `progress` column when the fact
still applies (an order only moves forward; Annulée and Terminé are final); the progress states'
history, the guarded transition and the `order_progressed` event come in its place (branch
"progress")."""
from sqlalchemy import select

from ..domain import mapping
from ..models import RegisterEntry


def apply_owner_progress(session, kind, number, to_code, at, by, comment, now, record):
    """Move the order (kind, number) to `to_code` because its owner said so (`by`: who, `at`:
    when the owner did it, `comment`). Returns True when the progress changed."""
    entry = session.execute(select(RegisterEntry).where(
        RegisterEntry.kind == kind, RegisterEntry.number == int(number))).scalar_one_or_none()
    if entry is None or not mapping.moves_forward(entry.progress, to_code):
        return False
    entry.progress = to_code
    entry.progress_at = at or now
    entry.updated_at = now
    return True
