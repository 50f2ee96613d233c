"""Progress states with their history (references 002 §2 and 003 step 2): the one place an
order's progress moves on the desk.

- `apply_owner_progress`: an owner's event (grouped_orders, baskets, librisoft_bridge) says the
  order moved (domain/mapping.py): when it still applies (`domain.progress.owner_applies`), a
  guarded transition of the register's `progress`, a history row and `order_progressed`;
- `plan_move` / `record_move`: the bookshop's move from the desk. `plan_move` checks it
  (`domain.progress.check_move`) and says whether the owner must make it; if so the service asks
  the owner over RPC (`ask_owner`: who asked it and why are kept so that the owner's event,
  when it comes back, writes them in the history), else `record_move` records it;
- `progress_history`: the order's state, its history (who, when, from -> to, comment) and the
  moves the bookshop may make now.

Two identical moves at once: the transition from the state both saw lets one through, the other
is a 409 (services.common.guards): one history row, one event, one mail."""
from sqlalchemy import delete, select

from services.common.errors import not_found
from services.common.guards import transition
from services.common.progress import ERROR

from ..domain import mapping, progress as rules
from ..domain.register import fully_credited
from ..models import ProgressHistory, ProgressRequest, RegisterEntry
from ..presenters import progress_event, progress_view

SYSTEM = "système"


def _entry(session, kind, number, *, lock=False):
    q = select(RegisterEntry).where(RegisterEntry.kind == kind,
                                    RegisterEntry.number == int(number))
    if lock:
        q = q.with_for_update()
    return session.execute(q).scalar_one_or_none()


def _found(session, kind, number):
    rules.check_kind(kind)
    entry = _entry(session, kind, number)
    if entry is None:
        raise not_found("Cette commande n'est pas (encore) au registre des commandes.")
    return entry


def _history(session, kind, number) -> list:
    """The order's moves in the order they were made (each a guarded transition of the row:
    the ids follow them; an owner's `at` is the owner's clock)."""
    return list(session.scalars(select(ProgressHistory).where(
        ProgressHistory.kind == kind, ProgressHistory.number == int(number))
        .order_by(ProgressHistory.id)))


def _before_error(session, entry):
    if entry.progress != ERROR:
        return None
    return rules.before_error([(h.from_status, h.to_status)
                               for h in _history(session, entry.kind, entry.number)])


def _move(session, entry, to, by, comment, at, now, record, *, mail):
    """The guarded transition from the state read, its history row, its event."""
    from_status = entry.progress
    transition(session, RegisterEntry, entry.id, (from_status,),
               {"progress": to, "progress_at": at, "updated_at": now}, column="progress")
    row = ProgressHistory(kind=entry.kind, number=entry.number, from_status=from_status,
                          to_status=to, by=by or SYSTEM, at=at, comment=comment or "")
    session.add(row)
    record(session, "order_progressed", progress_event(entry, row, mail=mail))
    return row


def apply_owner_progress(session, kind, number, to_code, at, by, comment, now, record,
                         reset=False):
    """Move the order (kind, number) to `to_code` because its owner said so (`by`: who, `at`:
    when the owner did it, `comment`). When the bookshop asked it from the desk, the history
    says who and why. Returns True when the progress changed."""
    entry = _entry(session, kind, number, lock=True)
    if entry is None:
        return False
    asked = session.scalars(select(ProgressRequest).where(
        ProgressRequest.kind == kind, ProgressRequest.number == int(number),
        ProgressRequest.to_status == to_code).order_by(ProgressRequest.id)).first()
    if asked is not None:  # the owner answered: the request is done, whoever made it
        session.execute(delete(ProgressRequest).where(
            ProgressRequest.kind == kind, ProgressRequest.number == int(number),
            ProgressRequest.to_status == to_code))
    if not rules.owner_applies(entry.progress, to_code, reset=reset):
        return False
    if asked is not None:
        by, comment = asked.by, asked.comment or comment
    _move(session, entry, to_code, by, comment, at or now, now, record,
          mail=not reset and rules.mails_customer(to_code,
                                                  owner_mailed=rules.owner_mails(kind, to_code)))
    return True


def _follow(session, entry, to, comment, at, now):
    """A sub-order follows its grouped order: the guarded transition and its history row, no
    event (the grouped order's own events mail whom they mail; the grouped order, not each
    sub-order, is the logistician's). False when it no longer applies (final, or past it)."""
    if not rules.owner_applies(entry.progress, to):
        return False
    from_status = entry.progress
    transition(session, RegisterEntry, entry.id, (from_status,),
               {"progress": to, "progress_at": at, "updated_at": now}, column="progress")
    session.add(ProgressHistory(kind=entry.kind, number=entry.number, from_status=from_status,
                                to_status=to, by=SYSTEM, at=at, comment=comment))
    return True


def follow_grouped_order(session, grouped_number, to, comment, at, now, exceptions=None):
    """Move the sub-orders of the grouped order `grouped_number` to `to` (`exceptions`: {number:
    (progress, comment)} for some of them), each only when it still applies
    (`domain.progress.owner_applies`): an event twice, late or out of order moves nothing back.
    Returns how many moved."""
    exceptions = exceptions or {}
    rows = session.scalars(select(RegisterEntry).where(
        RegisterEntry.kind == "sub_order",
        RegisterEntry.grouped_order_number == int(grouped_number))
        .order_by(RegisterEntry.id).with_for_update())
    return sum(_follow(session, entry, *exceptions.get(entry.number, (to, comment)), at, now)
               for entry in list(rows))


def lock_grouped_order(session, grouped_number):
    """The grouped order's register row, locked (None: not known yet). A sub-order's event
    takes it before its own row, as the grouped order's events do (their row, then their
    sub-orders'): one lock order, and a sub-order placed while its grouped order moves waits
    for that move, then catches up (`catch_up_sub_order`)."""
    if grouped_number is None:
        return None
    return _entry(session, "grouped_order", grouped_number, lock=True)


def catch_up_sub_order(session, number, grouped, now):
    """A sub-order known after its grouped order (`grouped`: its locked register row, or None)
    moved (its own event came late) takes the grouped order's progress
    (`domain.mapping.caught_up`)."""
    entry = _entry(session, "sub_order", number, lock=True)
    if entry is None or grouped is None or entry.grouped_order_number != grouped.number:
        return False
    to = mapping.caught_up(grouped.progress)
    if to is None:
        return False
    return _follow(session, entry, to, mapping.CAUGHT_UP_COMMENT.format(number=grouped.number),
                   grouped.progress_at or now, now)


def plan_move(session, kind, number, to, comment, expected=None) -> rules.Move:
    """The bookshop's move checked against the order's state now (400/409 in French)."""
    entry = _found(session, kind, number)
    return rules.check_move(kind, entry.progress, to, comment, expected=expected,
                            before_error=_before_error(session, entry))


def ask_owner(session, move: rules.Move, number, by, now) -> int:
    """Keep who asked the owner for the move, and why: the owner's event writes them in the
    history. Returns the request's id (dropped if the owner refuses: `drop_request`)."""
    asked = ProgressRequest(kind=move.kind, number=int(number), to_status=move.to_status,
                            by=by or SYSTEM, comment=move.comment, asked_at=now)
    session.add(asked)
    session.flush()
    return asked.id


def drop_request(session, request_id):
    session.execute(delete(ProgressRequest).where(ProgressRequest.id == request_id))


def record_move(session, kind, number, to, comment, by, expected, now, record) -> dict:
    """A move the desk records itself (no owner's action): checked again on the row, then the
    guarded transition from the state the check saw."""
    entry = _found(session, kind, number)
    move = rules.check_move(kind, entry.progress, to, comment, expected=expected,
                            before_error=_before_error(session, entry))
    if move.owner is not None:   # the service asks the owner: never recorded here
        raise RuntimeError("an owner's move is asked of its owner")
    _move(session, entry, to, by, move.comment, now, now, record,
          mail=rules.mails_customer(to))
    return progress_history(session, kind, number)


def progress_history(session, kind, number) -> dict:
    entry = _found(session, kind, number)
    history = _history(session, kind, number)
    before = _before_error(session, entry)
    invoiced = bool(entry.invoice_number) and not fully_credited(entry.invoice_number,
                                                                  entry.credited_invoice)
    grouped = (_entry(session, "grouped_order", entry.grouped_order_number)
               if kind == "sub_order" and entry.grouped_order_number else None)
    # (in Erreur, the state it left says what its owner still takes)
    moves = rules.menu(kind, entry.progress, before, invoiced, rules.cancellable_by_owner(
        kind, before if entry.progress == ERROR and before else entry.progress,
        grouped.progress if grouped is not None else None))
    # a request still open: its move is still to come (a repeated request, answered by the
    # owner without a new event, is not shown waiting forever)
    open_moves = {m["code"] for m in moves}
    pending = [r for r in session.scalars(select(ProgressRequest).where(
        ProgressRequest.kind == kind, ProgressRequest.number == int(number))
        .order_by(ProgressRequest.id)) if r.to_status in open_moves]
    view = progress_view(entry, history, moves, pending)
    if invoiced:
        view["invoice_lock"] = entry.invoice_number
    return view
