"""Collectivity baskets along the approval chain, and the quote requests and orders made from
them (reference 001, annexe "Comment le client traite les paniers"). Each view is one or two
calls to the baskets service, which re-checks who may do what."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from services.common.errors import DomainError

from .. import forms, idempotency
from ..rpc_client import rpc
from ..security import APPROBATEUR, COLLECTIVITE, COLLECTIVITY, allow
from . import refusal_status, refused

bp = Blueprint("baskets", __name__)

# the page's French word -> the service's action
ACTIONS = {"envoyer": ("submit_basket", "Le panier est envoyé."),
           "deverrouiller": ("unlock_basket", "Le panier est déverrouillé : vous pouvez le "
                                              "modifier."),
           "verrouiller": ("lock_basket", "Le panier est verrouillé."),
           "retourner": ("return_basket", "Le panier est retourné au rôle précédent."),
           "reprendre": ("recall_basket", "Le panier est repris : il est de nouveau en "
                                          "préparation, vous pouvez le modifier.")}
MOVED = {("envoyer", "at_approver"): "Le panier est envoyé à l'approbateur.",
         ("envoyer", "at_collectivity"): "Le panier est transmis à la collectivité.",
         ("retourner", "draft"): "Le panier est retourné à l'utilisateur qui l'a préparé.",
         ("retourner", "at_approver"): "Le panier est retourné à l'approbateur."}
KINDS = {"devis": "quote", "commande": "order"}
DOC_PAGES = {"quote": ("baskets.quotes", "baskets.quote"),
             "order": ("baskets.orders", "baskets.order")}


def basket_menus():
    """The top bar's basket entries for a collectivity account ([] if the service is down)."""
    user = g.get("user")
    if not user or user["role"] not in COLLECTIVITY:
        return []
    if "basket_menus" not in g:
        try:
            g.basket_menus = rpc("baskets", "basket_menus", user["id"])
        except Exception:  # never break a page for its top bar
            g.basket_menus = []
    return g.basket_menus


MENU_ENDPOINTS = {"my_baskets": "baskets.mine", "to_validate": "baskets.to_validate",
                  "sent_or_validated": "baskets.validated", "validated": "baskets.validated"}


@bp.app_context_processor
def inject_menus():
    return {"basket_menus": basket_menus, "basket_menu_endpoints": MENU_ENDPOINTS}


def denial(exc, basket_id) -> bool:
    """Not one's basket: a 403/404, never a message on someone else's page. An unknown article
    or a line not in the basket is a message. Decided on `DomainError.code`, never on the words
    of the message: a `forbidden` or a `not_found` is a denial unless the basket is one's to
    see (asked again, on these rare paths only): then what was not found is the article or the
    line, and what was forbidden is acting on a basket no longer in one's hands (sent a moment
    ago: the back button, a double click), told on its page."""
    if exc.code not in ("not_found", "forbidden"):
        return False
    try:
        rpc("baskets", "get_basket", g.user["id"], basket_id)
    except DomainError as again:
        return again.code in ("not_found", "forbidden")
    return False


def _act(basket_id, method, *args, done=None, back=None):
    """Call the service; a refusal about the state becomes a message on the basket's page, a
    refusal about whose basket it is stays a 403/404."""
    try:
        result = rpc("baskets", method, g.user["id"], basket_id, *args,
                     idempotency_key=idempotency.key())
    except DomainError as exc:
        if denial(exc, basket_id):
            raise
        refused(exc)
        return None, redirect(back or url_for("baskets.detail", basket_id=basket_id))
    if done:
        flash(done, "success")
    return result, redirect(back or url_for("baskets.detail", basket_id=basket_id))


@bp.get("/paniers")
@allow(*COLLECTIVITY)
def mine():
    baskets = rpc("baskets", "list_my_baskets", g.user["id"],
                  request.args.get("tous") == "1")
    return render_template("baskets/mine.html", baskets=baskets,
                           all=request.args.get("tous") == "1")


@bp.post("/paniers")
@allow(*COLLECTIVITY)
def create():
    numbers = [c["number"] for c in g.user["clients"]]
    form = forms.NewBasket.read()
    client_number = form["client_number"] or None
    if client_number is None and len(numbers) == 1:
        client_number = numbers[0]
    ean = form["ean"]  # "Ajouter au panier" into a new basket, from the article page
    try:  # the basket and its first line in one transaction: a line refused, no basket
        basket = rpc("baskets", "create_basket", g.user["id"], client_number,
                     form["name"], idempotency_key=idempotency.key(),
                     **({"ean": ean, "quantity": form["quantity"]} if ean else {}))
    except DomainError as exc:
        if exc.code == "forbidden" or (exc.code == "not_found" and not ean):
            raise
        refused(exc)
        return redirect(url_for("catalogue.article", ean=ean) if ean and exc.code != "not_found"
                        else url_for("baskets.mine"))
    if ean:
        flash(f"Le panier « {basket['name']} » est créé avec cet article.", "success")
        return redirect(url_for("baskets.detail", basket_id=basket["id"]))
    flash(f"Le panier « {basket['name']} » est créé.", "success")
    return redirect(url_for("baskets.detail", basket_id=basket["id"]))


@bp.post("/paniers/ajout")
@allow(*COLLECTIVITY)
def add_from_catalogue():
    """"Ajouter au panier" from the article page: into one of one's baskets, or a new one."""
    form = forms.AddToBasket.read()
    ean, basket_id = form["ean"], form["basket_id"]
    if basket_id is None or basket_id < 1:  # "²" passed isdigit() and crashed int() (500)
        return create()
    try:
        # a double click adds the copies once (the form's one-time token)
        basket = rpc("baskets", "add_line", g.user["id"], basket_id, ean, form["quantity"],
                     idempotency_key=idempotency.key())
    except DomainError as exc:
        if denial(exc, basket_id):
            raise
        refused(exc)
        return redirect(url_for("catalogue.article", ean=ean) if ean
                        else url_for("baskets.mine"))
    flash(f"L'article est ajouté au panier « {basket['name']} ».", "success")
    return redirect(url_for("baskets.detail", basket_id=basket_id))


@bp.get("/paniers/a-valider")
@allow(APPROBATEUR, COLLECTIVITE)
def to_validate():
    return render_template("baskets/list.html", title="Paniers à valider",
                           baskets=rpc("baskets", "baskets_to_validate", g.user["id"]),
                           empty="Aucun panier n'attend votre validation.")


@bp.get("/paniers/valides")
@allow(APPROBATEUR, COLLECTIVITE)
def validated():
    title = "Paniers validés" if g.user["role"] == COLLECTIVITE else \
        "Paniers envoyés/validés par la collectivité"
    return render_template("baskets/list.html", title=title,
                           baskets=rpc("baskets", "validated_baskets", g.user["id"]),
                           empty="Aucun panier pour le moment.")


@bp.get("/paniers/<int:basket_id>")
@allow(*COLLECTIVITY)
def detail(basket_id):
    return render_template("baskets/detail.html",
                           basket=rpc("baskets", "get_basket", g.user["id"], basket_id))


@bp.post("/paniers/<int:basket_id>/nom")
@allow(*COLLECTIVITY)
def rename(basket_id):
    return _act(basket_id, "rename_basket", forms.BasketName.read()["name"],
                done="Le panier est renommé.")[1]


@bp.post("/paniers/<int:basket_id>/suppression")
@allow(*COLLECTIVITY)
def delete(basket_id):
    result, response = _act(basket_id, "delete_basket", done="Le panier est supprimé.",
                            back=url_for("baskets.mine"))
    if result is None:
        return redirect(url_for("baskets.detail", basket_id=basket_id))
    return response


def _typed_again(basket_id, exc, typed):
    """The basket's page again with the refusal said once and what was typed kept (the EAN
    with its typo, the quantity), answered with the refusal's 4xx; if the page cannot be shown
    now, the message waits on the next page."""
    try:
        basket = rpc("baskets", "get_basket", g.user["id"], basket_id)
    except DomainError:
        refused(exc)
        return redirect(url_for("baskets.detail", basket_id=basket_id))
    return render_template("baskets/detail.html", basket=basket, error=exc.message,
                           typed=typed), refusal_status(exc)


@bp.post("/paniers/<int:basket_id>/lignes")
@allow(*COLLECTIVITY)
def add_line(basket_id):
    form = forms.BasketLine.read()
    try:
        basket = rpc("baskets", "add_line", g.user["id"], basket_id, form["ean"],
                     form["quantity"], idempotency_key=idempotency.key())
    except DomainError as exc:
        if denial(exc, basket_id):
            raise
        return _typed_again(basket_id, exc, {"ean": form["ean"][:20],  # as typed
                                             "quantity": forms.TypedQuantity.read()["quantity"]})
    flash(f"L'article est ajouté au panier « {basket['name']} ».", "success")
    return redirect(url_for("baskets.detail", basket_id=basket_id))


@bp.post("/paniers/<int:basket_id>/lignes/<ean>")
@allow(*COLLECTIVITY)
def set_quantity(basket_id, ean):
    quantity = forms.BasketLine.read()["quantity"]
    try:
        rpc("baskets", "set_quantity", g.user["id"], basket_id, ean[:20], quantity,
            idempotency_key=idempotency.key())
    except DomainError as exc:
        if denial(exc, basket_id):
            raise
        # the line's own field keeps what was typed, the message under it
        return _typed_again(basket_id, exc, {"line_ean": ean[:20],
                                             "quantity": forms.TypedQuantity.read()["quantity"]})
    flash("La quantité est mise à jour.", "success")
    return redirect(url_for("baskets.detail", basket_id=basket_id))


@bp.post("/paniers/<int:basket_id>/lignes/<ean>/suppression")
@allow(*COLLECTIVITY)
def remove_line(basket_id, ean):
    return _act(basket_id, "remove_line", ean[:20], done="L'article est retiré du panier.")[1]


@bp.post("/paniers/<int:basket_id>/<any(envoyer, deverrouiller, verrouiller, retourner, "
         "reprendre):action>")
@allow(*COLLECTIVITY)
def move(basket_id, action):
    method, done = ACTIONS[action]
    args = (forms.BasketComment.read()["comment"],) if action == "retourner" else ()
    # a basket returned to the previous role is no longer the Approbateur's (or the
    # Collectivité's) to see: back to the list of baskets waiting for them, not a 404
    back = url_for("baskets.to_validate") if action == "retourner" and \
        g.user["role"] in (APPROBATEUR, COLLECTIVITE) else None
    result, response = _act(basket_id, method, *args)
    if result is not None:
        # who has the basket now, in words (« retourné au rôle précédent » was the manual's
        # jargon; « envoyé » did not say to whom)
        flash(MOVED.get((action, result.get("state")), done), "success")
        if back:
            return redirect(back)
    return response


@bp.route("/paniers/<int:basket_id>/transformer/<any(devis, commande):kind>",
          methods=["GET", "POST"])
@allow(*COLLECTIVITY)
def transform(basket_id, kind):
    basket = rpc("baskets", "get_basket", g.user["id"], basket_id)
    if "transform" not in basket["actions"]:
        if basket.get("document"):
            doc = basket["document"]
            return redirect(url_for(DOC_PAGES[doc["kind"]][1], number=doc["number"]))
        why = ("Ce panier est vide : ajoutez au moins un article avant d'en faire une "
               "demande de devis ou une commande.") \
            if not basket.get("lines") and g.user["role"] == COLLECTIVITE else \
            ("Seule la collectivité qui détient ce panier peut le transformer en demande "
             "de devis ou en commande.")
        if request.method == "POST":  # the form sent anyway: refused, a 409 on the basket
            refused(why, 409)
        else:
            flash(why, "error")
        return redirect(url_for("baskets.detail", basket_id=basket_id))
    form = {"reference": "", "comment": "", "delivery_address": "0", "delivery_mode": ""}
    if request.method == "POST":
        form = forms.Transformation.read()
        try:
            address = int(form["delivery_address"])
        except ValueError:
            address = 0
        try:
            doc = rpc("baskets", "transform_basket", g.user["id"], basket_id, KINDS[kind],
                      form["reference"], form["comment"], address,
                      idempotency_key=idempotency.key(),
                      expected_total=form["expected_total"] or None,
                      delivery_mode=form["delivery_mode"] or None)
        except DomainError as exc:
            if exc.code in ("not_found", "forbidden"):
                raise
            return render_template("baskets/transform.html", basket=basket, kind=kind,
                                   form=form, error=exc.message, errors=exc.details), \
                409 if exc.code == "conflict" else 400
        flash(f"Votre {doc['kind_label'].lower()} n° {doc['number']} est envoyée à la "
              "librairie.", "success")
        return redirect(url_for(DOC_PAGES[doc["kind"]][1], number=doc["number"]))
    return render_template("baskets/transform.html", basket=basket, kind=kind, form=form)


def _documents(kind, title):
    return render_template("baskets/documents.html", kind=kind, title=title,
                           documents=rpc("baskets", "list_my_documents", g.user["id"], kind))


def _document(kind, number):
    return render_template("baskets/document.html", kind=kind, admin=False,
                           doc=rpc("baskets", "get_my_document", g.user["id"], kind, number))


@bp.get("/mes-devis-collectivite")
@allow(*COLLECTIVITY)
def quotes():
    return _documents("quote", "Mes devis collectivité")


@bp.get("/mes-devis-collectivite/<int:number>")
@allow(*COLLECTIVITY)
def quote(number):
    return _document("quote", number)


@bp.post("/mes-devis-collectivite/<int:number>/nouveau-panier")
@allow(*COLLECTIVITY)
def reorder_quote(number):
    return _reorder("quote", number)


@bp.post("/mes-commandes-collectivite/<int:number>/nouveau-panier")
@allow(*COLLECTIVITY)
def reorder_order(number):
    return _reorder("order", number)


def _reorder(wire, number):
    """« Commander ce devis » / « Commander à nouveau »: a new basket of one's own with the
    document's lines at today's prices, to check and send along the usual chain."""
    try:
        basket = rpc("baskets", "basket_from_document", g.user["id"], wire, number,
                     idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        refused(exc)
        return redirect(url_for("baskets.quote" if wire == "quote" else "baskets.order",
                                number=number))
    what = "la demande de devis" if wire == "quote" else "la commande"
    flash(f"Le panier « {basket['name']} » est créé avec les articles de {what} n° {number}, "
          "aux prix d'aujourd'hui : vérifiez-le, puis envoyez-le.", "success")
    for gone in basket.get("skipped") or ():
        flash(f"« {gone['title']} » ({gone['ean']}) n'est plus au catalogue : il n'a pas été "
              "repris.", "warning")
    return redirect(url_for("baskets.detail", basket_id=basket["id"]))


@bp.get("/mes-commandes-collectivite")
@allow(*COLLECTIVITY)
def orders():
    return _documents("order", "Mes commandes collectivité")


@bp.get("/mes-commandes-collectivite/<int:number>")
@allow(*COLLECTIVITY)
def order(number):
    return _document("order", number)
