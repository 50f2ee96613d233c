"""The gateway's pages, one blueprint per area."""
from flask import flash, g

from services.common.errors import DomainError

from ..rpc_client import rpc


def act(service, method, *args, done, **kwargs):
    """Run an action of the signed-in account and tell the outcome as a flash message. A
    refusal that means "not yours" (not found, forbidden) is raised: a 404/403, not a message.
    `kwargs` go to the RPC (e.g. `idempotency_key`, for the methods that take one). `done`: the
    message, or a function of the RPC's answer that gives it."""
    try:
        answer = rpc(service, method, g.user["id"], *args, **kwargs)
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        flash(exc.message, "error")
        return False
    flash(done(answer) if callable(done) else done, "success")
    return True


def confirmed() -> bool:
    """An irreversible action runs on its confirmation page's button, never on the first
    click: the first POST (from the detail page) shows that page."""
    from .. import forms
    return forms.Confirmation.read()["confirmed"]


def confirmation(title, message, button, *, back, reason=None, reason_required=False,
                 hidden=None, error=None, details=None, items=None, items_title=None,
                 final=True):
    """The confirmation step of an irreversible action: what it will do, an optional reason
    (`reason` is its label, e.g. told to the buyer), « Confirmer » and a way back. No script:
    the page posts to the same URL with confirmed=1. `items`: what it changes, one line each
    (e.g. each buyer whose order goes down)."""
    from flask import render_template

    from .. import forms
    status = 400 if error else 200
    return render_template("admin/confirm.html", title=title, message=message, button=button,
                           back=back, reason_label=reason, reason_required=reason_required,
                           reason=forms.Confirmation.read()["reason"],
                           hidden=hidden or {}, error=error, details=details,
                           items=items or [], items_title=items_title, final=final), status
