"""The sandbox's hosted page, as the buyer sees it on a phone:

- `GET /sandbox/checkout/<checkout_id>`: merchant, description, amount, and the buttons
  Payer / Refuser / Abandonner, plus a small "Simuler une erreur technique" button;
- `POST` to the same address with `action` = pay | refuse | abandon | error (or late_pay, a
  capture after a failure, see `sandbox`): the outcome is
  recorded, its signed notification is sent to the callback endpoint from a greenthread, and
  the buyer is redirected (303) to the payment's return URL with `?payment=<payment_id>`.

Each function returns a werkzeug Response; the service's entrypoints only call them."""
from urllib.parse import urlsplit

from . import sandbox, web

MAX_FORM_BYTES = 16 * 1024

DONE = {
    "paid": "Ce paiement a déjà été effectué.",
    "refused": "Ce paiement a été refusé. Retournez sur le site du marchand pour réessayer.",
    "cancelled": "Ce paiement a été abandonné. Retournez sur le site du marchand pour "
                 "réessayer.",
    "error": "Ce paiement a échoué à cause d'une erreur technique. Retournez sur le site du "
             "marchand pour réessayer.",
    sandbox.EXPIRED: "Ce paiement n'est plus possible : la commande a été annulée par le "
                     "marchand. Aucune somme n'a été prélevée.",
}


def not_found():
    return web.message_page(404, "Paiement introuvable",
                            "Ce lien de paiement n'existe pas ou n'est plus valable.")


def origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and \
        parts.netloc else None


def show(db, settings, checkout_id):
    with db.transaction() as session:
        view = sandbox.checkout_view(session, checkout_id)
    if view is None:
        return not_found()
    if view["status"] != "open":
        expired = view["status"] == sandbox.EXPIRED
        return web.message_page(200, "Paiement clos" if expired else "Paiement déjà traité",
                                DONE[view["status"]], link=view["return_url"])
    return web.html_response(200, web.render(
        "sandbox_checkout.html", merchant=settings.merchant, description=view["description"],
        amount=web.format_amount(view["amount"]),
        action_url=sandbox.checkout_path(view["checkout_id"])),
        # the form posts here, then the buyer is redirected to the merchant's return URL
        form_action=[origin(settings.public_url), origin(view["return_url"])])


def submit(db, request, checkout_id, now, deliver_soon):
    """Record the buyer's click; `deliver_soon(notification_id)` sends its notification."""
    request.max_content_length = MAX_FORM_BYTES
    action = request.form.get("action")
    if action not in sandbox.ACTIONS and action != sandbox.LATE_PAY:
        return web.message_page(400, "Choix inconnu",
                                "Choisissez Payer, Refuser ou Abandonner sur la page de paiement.")
    with db.transaction() as session:
        done = sandbox.complete_checkout(session, checkout_id, action, now)
    if done is None:
        return not_found()
    notification_id, return_url = done
    if notification_id is not None:
        deliver_soon(notification_id)
    return web.redirect(return_url)
