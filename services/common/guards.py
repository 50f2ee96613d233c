"""Guarded transitions: a state change takes effect once, however often it is asked for.

`transition(session, Model, key, from_statuses, values)` is a conditional
`UPDATE … SET values WHERE pk = key AND status IN from_statuses`: on PostgreSQL a concurrent
twin waits for the row lock, then finds the status changed and updates nothing; on SQLite the
service's transactions are serialised (services.common.db) and the same statement holds. The
first request wins; the others get `conflict` (409) with a French message, so there is one
event, one mail, one refund. Which moves are allowed stays in each service's domain; this only
makes the move atomic."""
from sqlalchemy import inspect, update

from .errors import conflict

ALREADY_CHANGED = ("Cette action a déjà été faite, ou l'état a changé entre-temps : rechargez "
                   "la page pour voir l'état actuel.")


def transition(session, model, key, from_statuses, values: dict, *, column="status",
               message=None, where=()):
    """Move the row of `model` whose primary key is `key` from one of `from_statuses` (values
    of `column`) with `values`. Raises conflict (`message`) when no row moved. The ORM object
    already loaded in `session`, if any, sees the new values. `where`: further conditions."""
    if isinstance(from_statuses, (str, int, bool)) or from_statuses is None:
        from_statuses = (from_statuses,)
    (pk,) = inspect(model).primary_key
    status = getattr(model, column)
    expected = tuple(from_statuses)
    condition = status.is_(None) if expected == (None,) else status.in_(expected)
    result = session.execute(
        update(model).where(pk == key, condition, *where).values(**values)
        .execution_options(synchronize_session="fetch"))
    if result.rowcount != 1:
        raise conflict(message or ALREADY_CHANGED)
    return result.rowcount
