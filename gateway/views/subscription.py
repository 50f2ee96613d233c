"""The buyer's pages, from the public link (no account): subscribe, pay, see the result."""
from flask import Blueprint, redirect, render_template, request

from services.common.errors import DomainError

from .. import idempotency
from ..http_security import public_url_for
from ..security import ANONYMOUS, allow
from ..services import rpc

bp = Blueprint("subscription", __name__, url_prefix="/souscription")


def _return_url(token, buyer_token):
    """On PUBLIC_URL: the provider sends the buyer there, and the failed-payment mail links it."""
    return public_url_for("subscription.result", token=token, buyer_token=buyer_token)


def _pay(token, buyer_token):
    """With the form's one-time token: the same form sent twice starts one payment."""
    payment = rpc("grouped_orders", "start_payment", token, buyer_token,
                  _return_url(token, buyer_token), idempotency_key=idempotency.key())
    return redirect(payment["redirect_url"], code=303)


@bp.route("/<token>", methods=["GET", "POST"])
@allow(ANONYMOUS)
def page(token):
    go = rpc("grouped_orders", "public_grouped_order", token[:64])
    form = {"first_name": "", "last_name": "", "email": "", "quantity": "1"}
    if request.method == "POST" and go["subscriptions_open"]:
        form = {"first_name": request.form.get("first_name", "")[:200],
                "last_name": request.form.get("last_name", "")[:200],
                "email": request.form.get("email", "")[:300],
                "quantity": request.form.get("quantity", "")[:4],
                "accepted_terms": request.form.get("accepted_terms") == "1"}
        try:
            sub = rpc("grouped_orders", "subscribe", token, form,
                      idempotency_key=idempotency.key())
            return _pay(token, sub["buyer_token"])
        except DomainError as exc:
            return render_template("subscription/page.html", go=go, form=form,
                                   error=exc.message, errors=exc.details), \
                409 if exc.code == "conflict" else 400
    return render_template("subscription/page.html", go=go, form=form)


@bp.get("/<token>/commande/<buyer_token>")
@allow(ANONYMOUS)
def result(token, buyer_token):
    sub = rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])
    payment = None
    if sub["last_payment_id"]:
        payment = rpc("payments", "get_payment", sub["last_payment_id"])
    return render_template("subscription/result.html", sub=sub, payment=payment, token=token,
                           buyer_token=buyer_token)


@bp.post("/<token>/commande/<buyer_token>/payer")
@allow(ANONYMOUS)
def pay_again(token, buyer_token):
    try:
        return _pay(token[:64], buyer_token[:64])
    except DomainError as exc:
        sub = rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])
        return render_template("subscription/result.html", sub=sub, payment=None, token=token,
                               buyer_token=buyer_token, error=exc.message), 409
