"""Changing a password, and resetting a forgotten one by a one-time link."""
from sqlalchemy import func, select, update

from services.common.errors import forbidden, invalid
from services.common.guards import transition
from services.common.validation import check_email

from .. import domain
from ..adapters.passwords import hash_password, verify_password
from ..models import Account, ResetToken
from ..presenters import account_view
from .sign_in import open_session

LINK_EXPIRED = "Ce lien de réinitialisation n'est plus valable. Demandez-en un nouveau."


def change_password(session, account_id, current, new, confirmation, now) -> dict:
    account = session.get(Account, account_id)
    if account is None or not account.active:
        raise forbidden("Compte inconnu ou désactivé.")
    if not verify_password(account.password_hash, current or ""):
        raise invalid("Le mot de passe actuel est incorrect.",
                      {"current": ["Mot de passe incorrect."]})
    domain.check_password(new, confirmation)
    if new == current:  # a change that changes nothing (and ends every other session)
        raise invalid("Le nouveau mot de passe doit être différent de l'actuel.",
                      {"password": ["Différent du mot de passe actuel."]})
    account.password_hash = hash_password(new)
    account.session_version += 1  # ends every session, this one too: it gets a new one
    _end_reset_links(session, account.id, now)
    view = account_view(account)
    view["session_id"] = open_session(session, account, now)
    return view


def request_password_reset(session, email, now, record) -> None:
    """Says nothing of whether the address is known (no user enumeration)."""
    try:
        email = check_email(email)
    except Exception:
        return
    # the account's row locked: two requests at once count each other's link
    account = session.scalar(select(Account).where(Account.email == email).with_for_update())
    if account is None or not account.active:
        return
    alive = session.scalar(select(func.count()).select_from(ResetToken).where(
        ResetToken.account_id == account.id, ResetToken.expires_at > now))
    if not domain.may_send_reset_link(alive):
        return  # enough links in this inbox for the hour: the same answer, no mail
    token, token_hash, expires = domain.new_reset_token(now)
    session.add(ResetToken(token_hash=token_hash, account_id=account.id, expires_at=expires))
    record(session, "password_reset_requested", {
        "account_id": account.id, "email": account.email, "token": token,
        "expires_at": expires.isoformat()})


def _usable_link(session, token, now):
    """The reset link's row while it may still be used (unused, not expired), else None."""
    row = session.get(ResetToken, domain.hash_token(token or ""))
    expires = row.expires_at if row else None
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=now.tzinfo)
    if row is None or row.used_at is not None or expires < now:
        return None
    return row


def reset_link_valid(session, token, now) -> bool:
    """Whether the link may still be used: the page says so before the form is filled."""
    return _usable_link(session, token, now) is not None


def reset_password(session, token, new, confirmation, now) -> dict:
    row = _usable_link(session, token, now)
    if row is None:
        raise invalid(LINK_EXPIRED)
    domain.check_password(new, confirmation)
    # guarded: of two uses of one link at once, one changes the password, the other is refused
    transition(session, ResetToken, row.token_hash, [None], {"used_at": now}, column="used_at",
               message=LINK_EXPIRED)
    account = session.get(Account, row.account_id)
    account.password_hash = hash_password(new)
    account.session_version += 1
    _end_reset_links(session, account.id, now)
    return account_view(account)


def _end_reset_links(session, account_id, now):
    """The account's other reset links die with a new password: an older mail's link could
    otherwise take the account back after its owner reset it."""
    session.execute(update(ResetToken).where(ResetToken.account_id == account_id,
                                             ResetToken.used_at.is_(None))
                    .values(used_at=now))
