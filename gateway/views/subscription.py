"""The buyer's pages, from the public link (no account): subscribe, pay, see the result."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, session

import hashlib
from decimal import Decimal

from services.common import config
from services.common.errors import DomainError
from services.common.money import eur, money
from services.common.validation import whole_number

from .. import forms, idempotency
from ..formatting import day, when
from ..http_security import public_url_for
from ..rpc import ServiceUnavailable
from ..rpc_client import rpc, slow_rpc
from ..progress_words import progress_text
from ..security import ANONYMOUS, allow

bp = Blueprint("subscription", __name__, url_prefix="/souscription")


def outcome(sub, payment) -> dict:
    """The one status a buyer reads, in words (issue 8 §5: not « En attente de paiement —
    Annulé »), and whether the payment's outcome is still awaited."""
    state = payment["state"] if payment else None
    waiting = sub["status"] == "awaiting_payment" and state in ("pending", "processing",
                                                                "succeeded")
    offline = sub.get("payment_method") in ("cheque", "cash", "pickup")
    if sub["status"] == "awaiting_payment" and offline and not waiting and state is None \
            and sub["payment_method"] == "pickup":  # issue 10 K5: paid on distribution day
        return {"waiting": False, "status": "Réservée : à payer au retrait", "tone": "info",
                "offline": True,
                "message": f"Votre commande est enregistrée et vos livres sont réservés. Vous "
                           f"la paierez au retrait des livres ({eur(sub['total'])}, par "
                           f"chèque ou en espèces). Ces informations vous ont aussi été "
                           f"envoyées par e-mail à {sub['email']}."}
    if sub["status"] == "awaiting_payment" and offline and not waiting and state is None:
        what = "votre chèque" if sub["payment_method"] == "cheque" else "votre paiement en " \
            "espèces"
        return {"waiting": False, "status": "En attente de paiement", "tone": "info",
                "offline": True,
                "message": f"Votre commande est enregistrée. Elle sera confirmée dès que la "
                           f"librairie aura reçu {what}. Ces informations vous ont aussi été "
                           f"envoyées par e-mail à {sub['email']}."}
    refunded = refund_sentence(sub)
    if sub["status"] == "paid":
        status, message, tone = "Payée", ("Paiement confirmé. Merci ! Un e-mail de "
                                          f"confirmation vous a été envoyé à {sub['email']}."), \
            "success"
        if refunded:
            message += f" {refunded}"
    elif sub["status"] == "cancelled":
        refund = {"requested": "Annulée, remboursement en cours",
                  "refunded": "Annulée et remboursée"}.get(sub.get("refund_state"))
        if sub.get("refunds"):  # a payment refunded automatically counts too
            refund = "Annulée, remboursement en cours" if money(
                sub.get("refunding_total") or 0) else "Annulée et remboursée"
        status = refund or "Annulée"
        message, tone = "Cette commande est annulée.", "warning"
        if refunded:
            message += f" {refunded}"
        elif sub.get("refund_label"):
            message += f" {sub['refund_label']}."
    elif waiting and state in ("pending", "processing") and sub.get("can_pay"):
        # the provider's page opened (the payment « processing »), nothing heard since: just
        # paid (the provider's word is on its way), or the tab closed without paying. Either
        # is possible: the page waits for the provider's word and meanwhile lets a parent who
        # left resume or cancel
        status, tone = "Paiement non terminé", "info"
        message = ("Votre paiement n'est pas terminé. Si vous venez de payer, le résultat "
                   "s'affiche ici dans un instant. Si vous avez quitté la page de paiement sans "
                   "payer, vous pouvez reprendre le paiement ou annuler votre commande.")
        return {"waiting": True, "unfinished": True, "status": status, "message": message,
                "tone": tone}
    elif waiting:
        status, tone = "Paiement en cours de vérification", "info"
        message = "Paiement en cours de vérification… Le résultat s'affiche ici dès qu'il " \
                  "est connu."
    else:
        status = {"refused": "Non payée : paiement refusé",
                  "cancelled": "Non payée : paiement abandonné",
                  "error": "Non payée : le paiement n'a pas pu aboutir"}.get(
            state, "En attente de paiement")
        message = {"refused": "Votre paiement a été refusé.",
                   "cancelled": "Vous avez abandonné le paiement.",
                   "error": "Le paiement n'a pas pu aboutir (erreur technique)."}.get(
            state, "Votre commande attend son paiement.") + " Votre commande est conservée."
        if sub.get("can_pay") and (sub.get("grouped_order") or {}).get("deadline"):
            message += f" Vous pouvez la payer jusqu'au {day(sub['grouped_order']['deadline'])} " \
                       "inclus."
        tone = "error"
        if refunded:
            message += f" {refunded}"
    return {"waiting": waiting, "status": status, "message": message, "tone": tone}


def refund_sentence(sub) -> str:
    """The money given back to the buyer, in one sentence for the top of their page (each
    refund is detailed below it): how much, when; what is still on its way."""
    refunds = sub.get("refunds") or []
    done = [r for r in refunds if r["state"] == "refunded" and not r.get("by_hand")
            and r.get("kind") != "at_pickup"]  # what was handed back at pickup: listed below
    # a cheque or cash the bookshop gives back: recorded at once, the parent still fetches it
    by_hand = [r for r in refunds if r.get("by_hand")]
    words = []
    if done:
        last = max((r["at"] for r in done if r.get("at")), default=None)
        total = sum((money(r["amount"]) for r in done), money(0))
        words.append(f"{eur(total)} vous ont été remboursés"
                     + (f" le {when(last)}" if last else "")
                     + ", sur le moyen de paiement utilisé.")
    if by_hand:
        total = sum((money(r["amount"]) for r in by_hand), money(0))
        many = total >= 2  # French: plural from two on
        words.append(f"{eur(total)} vous {'sont rendus' if many else 'est rendu'} par la "
                     f"librairie : passez {'les' if many else 'le'} reprendre à la librairie.")
    if money(sub.get("refunding_total") or 0):
        words.append(f"Un remboursement de {eur(sub['refunding_total'])} est en cours.")
    return " ".join(words)


def _return_url(token, buyer_token):
    """On PUBLIC_URL: the provider sends the buyer there, and the failed-payment mail links it."""
    return public_url_for("subscription.result", token=token, buyer_token=buyer_token)


def _pay(token, buyer_token):
    """With the form's one-time token: the same form sent twice starts one payment."""
    payment = rpc("grouped_orders", "start_payment", token, buyer_token,
                  _return_url(token, buyer_token), idempotency_key=idempotency.key())
    return redirect(payment["redirect_url"], code=303)


EMPTY_FORM = {"first_name": "", "last_name": "", "email": "", "pupil": "", "quantities": {},
              "payment_method": "online"}


def asked(form) -> dict:
    """The form as the service takes it: a quantity per title (`lines`, from the `ean` and
    `quantity` fields side by side), or one `quantity` (a form of one title without `ean`);
    `quantities` ({ean: typed}) draws the form again; the payment method chosen (issue 9)."""
    data = {k: form[k] for k in ("first_name", "last_name", "email", "pupil", "accepted_terms")}
    data["payment_method"] = form.get("payment_method") or "online"
    eans, quantities = form["ean"], form["quantity"]
    if eans:
        # every pair as sent (a title twice, or a quantity without its title, is the service's
        # French 400, not the last value silently kept)
        padded = quantities + [""] * (len(eans) - len(quantities))
        lines = [{"ean": e, "quantity": q} for e, q in zip(eans, padded)]
        lines += [{"ean": "", "quantity": q} for q in quantities[len(eans):]]
        return dict(data, lines=lines, quantities=dict(zip(eans, padded)))
    return dict(data, quantity=quantities[0] if quantities else "", quantities={})


# the orders placed from this browser (its session cookie), per link: a parent back on the
# form after paying (the Back button restores what they typed) is shown their order, and the
# very same order sent again is asked « une seconde commande identique ? » before a second one
# (kept small: the session is a cookie, a browser drops one over 4 KB and the form's CSRF token
# with it)
PLACED, PLACED_PER_LINK, PLACED_LINKS = "placed", 3, 3


def _content(form) -> str:
    """What an order says (who, the quantities, how they pay), to recognise the same one."""
    # the pupil too: the same books for another child are not « the same order sent again »
    words = [form.get(k, "").strip().casefold()
             for k in ("first_name", "last_name", "email", "pupil")]
    words.append(form.get("payment_method") or "online")
    said = repr(words + sorted(zip(form["ean"], form["quantity"])) + [form["quantity"][:1]])
    return hashlib.sha256(said.encode()).hexdigest()[:12]


def placed_here(token) -> list:
    """[{number, buyer_token, content}] of the orders this browser placed on this link."""
    return list((session.get(PLACED) or {}).get(token[:64], []))


def _remember(token, sub, content):
    placed = dict(session.get(PLACED) or {})
    mine = placed.pop(token[:64], [])[-(PLACED_PER_LINK - 1):]
    placed[token[:64]] = mine + [{"number": sub.get("number"), "buyer_token": sub["buyer_token"],
                                  "content": content}]
    session[PLACED] = dict(list(placed.items())[-PLACED_LINKS:])


@bp.route("/<token>", methods=["GET", "POST"])
@allow(ANONYMOUS)
def page(token):
    if request.method == "POST":
        return _subscribe(token)
    return _page(rpc("grouped_orders", "public_grouped_order", token[:64]), EMPTY_FORM)


def order_rows(go, quantities: dict) -> tuple[list, Decimal]:
    """Each title with the quantity shown (as typed, else 1 for a required title and 0 for an
    optional one) and its line total (None when not a number), and the order's total."""
    rows, total = [], Decimal("0.00")
    for t in go.get("titles") or []:
        typed = quantities.get(t["ean"], "1" if t["required"] else "0")
        n = whole_number(typed)
        line = money(Decimal(t["price_ttc"]) * n) if n is not None and n >= 0 else None
        total += line or 0
        rows.append({"title": t, "quantity": typed, "line_total": line})
    return rows, total


def _page(go, form, exc=None, same=None):
    shop = config.bookshop()
    rows, total = order_rows(go, form.get("quantities") or {})
    page = dict(go=go, form=form, shop=shop, rows=rows, total=total, same=same,
                placed=placed_here(go["token"]),
                texts=progress_text(go.get("progress"), go.get("status")))
    if exc is None:
        return render_template("subscription/page.html", **page), 409 if same else 200
    status = {"conflict": 409, "throttled": 429}.get(exc.code, 400)
    return render_template("subscription/page.html", error=exc.message, errors=exc.details,
                           **page), status


def _subscribe(token):
    """The form's POST in one RPC and one transaction (issue 11): `subscribe_and_pay` records
    the sub-order and its attempt to pay online (with the form's one-time key: the same form
    sent twice gives one sub-order and one attempt), and the buyer is sent (303) to the payment
    page, which creates the payment off the POST's path (`payment`). The grouped order is read
    only to draw the page again when it refuses (unknown link: its 404; subscriptions closed:
    the page as a GET shows it; else the form with the French message, 409 for a conflict, 400
    for bad input)."""
    read = forms.Subscription.read()
    content = _content(read)
    form = asked(read)
    quantities = form.pop("quantities")
    same = [o for o in placed_here(token) if o["content"] == content]
    if same and not read["again"]:  # the Back button, or the order sent again by mistake
        go = rpc("grouped_orders", "public_grouped_order", token[:64])
        if go["subscriptions_open"]:
            if not quantities and form.get("quantity") and go["titles"]:
                quantities = {go["titles"][0]["ean"]: form["quantity"]}
            return _page(go, dict(form, quantities=quantities), same=same[-1])
    try:
        sub = rpc("grouped_orders", "subscribe_and_pay", token, form,
                  idempotency_key=idempotency.key())
    except DomainError as exc:
        go = rpc("grouped_orders", "public_grouped_order", token[:64])
        if go.get("not_open_yet") and go["status"] == "open":
            return _page(go, EMPTY_FORM, exc)  # « ouvriront le … », a 409
        if not go["subscriptions_open"]:
            return _page(go, EMPTY_FORM)
        if not quantities and form.get("quantity") and go["titles"]:
            quantities = {go["titles"][0]["ean"]: form["quantity"]}
        return _page(go, dict(form, quantities=quantities), exc)
    _remember(token, sub, content)
    # a cheque or cash at the bookshop: the result page says what to bring, where
    to = "subscription.payment" if sub["attempt_id"] else "subscription.result"
    return redirect(public_url_for(to, token=token, buyer_token=sub["buyer_token"]), code=303)


@bp.get("/<token>/commande/<buyer_token>/paiement")
@allow(ANONYMOUS)
def payment(token, buyer_token):
    """Where the form's 303 leads (issue 11): the payment of the attempt the form recorded,
    created here once (a reload or a second tab finds the same payment: the attempt's own key
    towards payments), then the provider's page (303). Nothing to pay online any more (paid,
    cancelled, refused or abandoned: « Payer à nouveau » is on the result page): the result
    page. After the deadline: the result page with the French refusal, a 409."""
    token, buyer_token = token[:64], buyer_token[:64]
    try:
        paid = rpc("grouped_orders", "pay_subscription", token, buyer_token,
                   _return_url(token, buyer_token))
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):  # not found: a 404; unavailable: a 503
            raise
        sub = rpc("grouped_orders", "buyer_status", token, buyer_token)
        return render_template("subscription/result.html", sub=sub, payment=None, token=token,
                               buyer_token=buyer_token, error=exc.message,
                               outcome=outcome(sub, None), shop=config.bookshop()), 409
    if paid["redirect_url"]:
        return redirect(paid["redirect_url"], code=303)
    return redirect(public_url_for("subscription.result", token=token, buyer_token=buyer_token),
                    code=303)


@bp.get("/conditions-de-vente")
@allow(ANONYMOUS)
def terms():
    """The terms a buyer accepts on the subscription form."""
    return render_template("subscription/terms.html", shop=config.bookshop())


@bp.get("/<token>/commande/<buyer_token>")
@allow(ANONYMOUS)
def result(token, buyer_token):
    sub, payment = _status(token, buyer_token)
    return render_template("subscription/result.html", sub=sub, payment=payment, token=token,
                           buyer_token=buyer_token, outcome=outcome(sub, payment),
                           shop=config.bookshop(), progress=_progress(sub))


def _progress(sub):
    """Where the bookshop's desk says the order stands (« Commande prête », « Terminé »): the
    progress mails link to this page, which said « Payée » only. None before the desk moved it,
    or if the desk does not answer (the page still shows)."""
    if sub.get("status") != "paid":
        return None
    try:
        found = rpc("order_desk", "get_order", "sub_order", sub["number"])
    except (DomainError, ServiceUnavailable):
        return None
    return found if found.get("progress") not in (None, "registered") else None


def _status(token, buyer_token):
    sub = rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])
    payment = None
    if sub["last_payment_id"]:
        payment = rpc("payments", "get_payment", sub["last_payment_id"])
    return sub, payment


@bp.get("/<token>/commande/<buyer_token>/etat")
@allow(ANONYMOUS)
def status(token, buyer_token):
    """What the result page's script polls while a payment is being checked (no reload)."""
    sub, payment = _status(token, buyer_token)
    found = outcome(sub, payment)
    return jsonify({"waiting": found["waiting"], "status": found["status"],
                    "message": found["message"]})


@bp.post("/<token>/commande/<buyer_token>/payer")
@allow(ANONYMOUS)
def pay_again(token, buyer_token):
    try:
        return _pay(token[:64], buyer_token[:64])
    except DomainError as exc:
        sub = rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])
        return render_template("subscription/result.html", sub=sub, payment=None, token=token,
                               buyer_token=buyer_token, error=exc.message,
                               outcome=outcome(sub, None), shop=config.bookshop()), 409


@bp.post("/<token>/commande/<buyer_token>/annulation")
@allow(ANONYMOUS)
def cancel(token, buyer_token):
    """The parent cancels their own unpaid order while subscriptions are open (a wrong
    quantity, an order sent twice): once per form (a double tap, one cancellation, one mail);
    refused in French (409) once paid or closed."""
    token, buyer_token = token[:64], buyer_token[:64]
    try:
        rpc("grouped_orders", "cancel_subscription", token, buyer_token,
            idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):
            raise
        sub, payment = _status(token, buyer_token)
        return render_template("subscription/result.html", sub=sub, payment=payment,
                               token=token, buyer_token=buyer_token, error=exc.message,
                               outcome=outcome(sub, payment), shop=config.bookshop()), 409
    flash("Votre commande est annulée : rien ne vous sera débité. Un e-mail vous le confirme.",
          "success")
    return redirect(public_url_for("subscription.result", token=token, buyer_token=buyer_token),
                    code=303)


@bp.get("/<token>/commande/<buyer_token>/pdf")
@allow(ANONYMOUS)
def document_pdf(token, buyer_token):
    """The parent's own sub-order as a PDF, from the link they have (result page, mails): the
    two tokens are checked by grouped_orders; a wrong one is a 404."""
    from .documents import pdf_response

    sub = rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])
    data = slow_rpc("grouped_orders", "order_document_pdf", "sub_order", sub["number"],
                    {"token": token[:64], "buyer_token": buyer_token[:64]})
    return pdf_response(data, "sub_order", sub["number"])


@bp.get("/<token>/progression")
@allow(ANONYMOUS)
def progress(token):
    """What the public page's script polls every 15 s (issue 10): the progress toward the
    minimum and the copies left, nothing of the buyers."""
    found = rpc("grouped_orders", "public_progress", token[:64])
    p = found["progress"]
    return jsonify({"paid": p["paid"], "minimum": p["minimum"], "maximum": p["maximum"],
                    "left": p["left"], "full": p["full"], "label": p["label"],
                    "minimum_reached": p["minimum_reached"],
                    "titles": [{k: t[k] for k in ("ean", "title", "required", "minimum",
                                                  "paid", "minimum_reached", "label")}
                               for t in p.get("titles") or []],
                    "subscriptions_open": found["subscriptions_open"],
                    "texts": progress_text(p, found.get("status"))})
