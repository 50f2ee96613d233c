"""The gateway's pages, one blueprint per area."""
import logging
from urllib.parse import urlsplit

from flask import current_app, flash, g, make_response, request, session

from services.common.errors import HTTP_STATUS, DomainError

from ..rpc_client import rpc

log = logging.getLogger(__name__)


def refusal_status(exc) -> int:
    """The 4xx of a refusal shown on the page of what one may see: what the page's own account
    may no longer do (a basket sent a moment ago, a thing already done) is a conflict, not a
    denial; a thing typed that does not exist is bad input."""
    code = getattr(exc, "code", "invalid")
    return 409 if code in ("conflict", "forbidden") else \
        400 if code == "not_found" else HTTP_STATUS.get(code, 400)


def refused(exc: DomainError | str, status: int | None = None):
    """A refusal told on the page the form came from (its message flashed), answered with its
    4xx: the view then redirects as after a success, and `show_refusal` renders that page in
    this same request with the refusal's status instead (a 302 to a 200 said « refusé » with
    a success's status codes)."""
    message = exc if isinstance(exc, str) else exc.message
    if status is None:
        status = refusal_status(exc)
    flash(message, "error")
    g.refused = status


def show_refusal(response):
    """After a form's POST refused (`refused`): the page its redirect leads to, rendered now,
    with the refusal's 4xx. Only a GET-only page of this application without a query string
    (its view must not see the POST's arguments); anything else keeps the redirect, the
    message waiting on the next page as before."""
    status = g.pop("refused", None)
    if not status or request.method != "POST" or response.status_code not in (302, 303):
        return response
    target = urlsplit(response.location or "")
    if target.scheme or target.netloc or target.query or not target.path.startswith("/"):
        return response
    waiting = list(session.get("_flashes", []))
    try:
        adapter = current_app.url_map.bind_to_environ(request.environ)
        rule, values = adapter.match(target.path, method="GET", return_rule=True)
        if rule.methods - {"GET", "HEAD", "OPTIONS"}:
            return response
        page = make_response(current_app.view_functions[rule.endpoint](**values))
    except Exception:  # the page cannot be shown now (gone, a service down): the redirect,
        log.info("refusal kept as a redirect to %s", target.path, exc_info=True)
        session["_flashes"] = waiting  # its message still waiting for the next page
        return response
    if page.status_code != 200:
        session["_flashes"] = waiting
        return response
    page.status_code = status
    return page


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
        refused(exc)
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
