from datetime import datetime, timezone

import pytest

from services.common.contracts.events import load_envelope, make_envelope
from services.common.db import Database
from services.notifications import domain, presenters, use_cases
from services.notifications.models import Base

LINE = {"ean": "9782330150136", "title": "CEMETERY ROAD", "quantity": 1, "vat_rate": "5.5",
        "public_price_ttc": "25.00", "unit_price_ttc": "22.75", "discount_percent": "9.00",
        "discount_amount": "2.25", "total_ttc": "22.75", "total_ht": "21.56",
        "vat_amount": "1.19"}
DOC = {"number": 12, "client_number": "16", "client_name": "ECOLE JULES FERRY",
       "basket_number": 27, "basket_name": "Mon Panier",
       "basket_creator_email": "biblio@ecole.fr", "placed_by_email": "achats@ecole.fr",
       "reference": "123456", "lines": [LINE],
       "totals": {"discount_total": "2.25", "subtotal_ht": "21.56", "vat_total": "1.19",
                  "subtotal_ttc": "22.75", "total_ttc": "22.75"},
       "placed_at": "2021-06-17T13:06:32+00:00"}
STATUS = {"number": 31, "client_name": "ECOLE JULES FERRY", "to_emails": ["achats@ecole.fr"],
          "action": "cancelled", "status_label": "Annulée", "reason": "Épuisé",
          "total_ttc": "22.75", "at": "2021-06-18T10:00:00+00:00"}


def received(kind, payload):
    return load_envelope(kind, make_envelope(kind, payload, "baskets"))[1]


@pytest.mark.parametrize("kind", ["quote_requested", "collectivity_order_placed"])
def test_a_new_quote_or_order_mails_who_placed_it_who_made_the_basket_and_the_bookshop(kind):
    to, subject, body = presenters.render(kind, received(kind, DOC), "http://x")
    assert to == ["achats@ecole.fr", "biblio@ecole.fr", "commandes@librairie.test"]
    assert "n° 12" in subject and "123456" in body
    assert "CEMETERY ROAD" in body and "22,75\xa0€" in body and "Sous-total HT : 21,56" in body
    assert "(9\xa0% de remise sur 25,00\xa0€)" in body and "9.00 %" not in body  # was « 9.00 % »
    _, _, body = presenters.render(kind, received(kind, dict(
        DOC, lines=[dict(LINE, discount_percent="12.50")])), "http://x")
    assert "(12,5\xa0% de remise" in body


def test_the_mailed_lines_multiply_out():
    """13,56 € × 28 was mailed as 379,65 €: the mail prints what baskets priced, which now
    multiplies out (docs/prices.md)."""
    from services.baskets.domain import prices as pricing
    from services.baskets.presenters.baskets import priced_line_view, totals_view
    d = pricing.Discounts.of({"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"})
    x = pricing.line("9791097284657", "WESTERN COQUILLETTES", 28, "14.90", "5.5", False, d)
    line = {k: v for k, v in priced_line_view(x).items()
            if k not in ("public_price_ht", "lang_law_capped")}
    totals = totals_view(pricing.totals([x]))
    _, _, body = presenters.render("quote_requested", received(
        "quote_requested", dict(DOC, lines=[line], totals=totals)), "http://x")
    assert "× 28 : 13,56\xa0€ l'unité" in body and "= 379,68\xa0€ TTC" in body


def test_status_mails_and_no_mail_for_a_reset():
    _, subject, body = presenters.render(
        "collectivity_order_status_changed",
        received("collectivity_order_status_changed", STATUS), "x")
    assert subject == "Votre commande n° 31 : Annulée" and "Motif : Épuisé" in body
    assert not domain.wanted("collectivity_order_status_changed", dict(STATUS, action="reset"))


def test_one_mail_row_per_distinct_recipient(tmp_path):
    db = Database("notifications", Base.metadata, f"sqlite:///{tmp_path / 'n.db'}")
    Base.metadata.create_all(db.engine)
    payload = received("quote_requested", dict(DOC, basket_creator_email="ACHATS@ecole.fr"))
    with db.transaction() as s:
        queued = use_cases.queue_mail(s, "quote_requested", payload, {"event_id": "e"},
                                      datetime.now(timezone.utc), "http://x")
    assert [m.to_addr for m in queued] == ["achats@ecole.fr", "commandes@librairie.test"]
    message = received("collectivity_message_sent", {
        "number": 12, "kind": "quote", "to_emails": ["a@ecole.fr", "b@ecole.fr"],
        "client_name": "ECOLE JULES FERRY", "message": "Le titre est épuisé."})
    to, subject, body = presenters.render("collectivity_message_sent", message, "x")
    assert to == ["a@ecole.fr", "b@ecole.fr"] and "demande de devis n° 12" in subject
    db.dispose()


@pytest.mark.parametrize("action,title", [("shipped", "Expédiée"),
                                          ("made_available", "Mise à disposition"),
                                          ("closed", "Clôturée")])
def test_a_shipped_or_available_order_is_titled_by_what_happened(action, title):
    """Issue 8 §5: these mails were titled by the status, « En cours de traitement »."""
    payload = received("collectivity_order_status_changed",
                       dict(STATUS, action=action, status_label="En cours de traitement"))
    _, subject, _ = presenters.render("collectivity_order_status_changed", payload, "x")
    assert subject.startswith(f"Votre commande n° 31 : {title}")
    assert "En cours de traitement" not in subject


@pytest.mark.parametrize("kind,what", [("collectivity_order_placed", "commande"),
                                       ("quote_requested", "demande de devis")])
def test_the_bookshops_copy_says_whose_order_it_is_not_votre_commande(tmp_path, kind, what):
    """The order desk got « Votre commande n° 12 pour ECOLE JULES FERRY est enregistrée »:
    its copy names the collectivity and who placed it, and links to the admin's page."""
    db = Database("notifications", Base.metadata, f"sqlite:///{tmp_path / 'n.db'}")
    Base.metadata.create_all(db.engine)
    with db.transaction() as s:
        queued = use_cases.queue_mail(s, kind, received(kind, DOC), {"event_id": "e"},
                                      datetime.now(timezone.utc), "http://x")
        bodies = {m.to_addr: m.body for m in queued}
        subjects = {m.to_addr: m.subject for m in queued}
    db.dispose()
    shop = bodies.pop("commandes@librairie.test")
    # one subject for every new order the bookshop hears of (its mail filters): as its alerts;
    # a quote request's its own (« Nouvelle commande : Demande de devis » said it was an order)
    head = ("Nouvelle demande de devis :" if kind == "quote_requested" else
            "Nouvelle commande : Commande collectivité")
    assert subjects["commandes@librairie.test"] == (
        f"{head} n° 12 (ECOLE JULES FERRY) — 22,75\xa0€ TTC")
    assert f"Nouvelle {what} n° 12 d'ECOLE JULES FERRY" in shop  # not « de ECOLE »
    assert "achats@ecole.fr" in shop and "Votre" not in shop and "vous" not in shop
    path = "devis" if kind == "quote_requested" else "commandes"
    assert f"La traiter : http://x/admin/{path}-collectivite/12" in shop
    assert "Total TTC : 22,75" in shop
    for customer in bodies.values():  # the collectivity's own
        assert f"Votre {what} n° 12 pour ECOLE JULES FERRY" in customer
        assert customer.rstrip().endswith("La librairie") and "La traiter" not in customer


MOVED = {"basket_id": 27, "basket_name": "CDI rentrée", "client_number": "16",
         "client_name": "ECOLE JULES FERRY", "action": "submitted", "to_level": 1,
         "to_level_label": "À valider par l'approbateur", "by_email": "biblio@ecole.fr",
         "to_emails": ["chef@ecole.fr", "adjoint@ecole.fr"], "comment": "", "lines": 3,
         "copies": 6,
         "total_ttc": "49.87", "detail_url": "http://x/paniers/27"}


def test_an_approver_is_told_a_basket_waits_and_its_sender_that_it_came_back():
    to, subject, body = presenters.render("basket_moved", received("basket_moved", MOVED), "x")
    assert to == ["chef@ecole.fr", "adjoint@ecole.fr"]
    assert subject == "Panier à valider : panier « CDI rentrée » (ECOLE JULES FERRY)"
    assert "biblio@ecole.fr vous a transmis le panier « CDI rentrée »" in body
    assert "à valider par l'approbateur" in body
    assert "6 exemplaires (3 références), total 49,87\xa0€ TTC" in body
    assert "Voir le panier : http://x/paniers/27" in body and "commentaire" not in body
    back = dict(MOVED, action="returned", to_level=0, to_level_label="En préparation",
                by_email="chef@ecole.fr", to_emails=["biblio@ecole.fr"], lines=1, copies=1,
                comment="Le titre 2 est épuisé, changez-le.")
    to, subject, body = presenters.render("basket_moved", received("basket_moved", back), "x")
    assert to == ["biblio@ecole.fr"] and subject.startswith("Panier retourné : ")
    assert "chef@ecole.fr vous a retourné le panier" in body
    assert "1 exemplaire (1 référence)," in body
    assert "Vous pouvez le modifier et l'envoyer de nouveau." in body
    assert "Son commentaire : Le titre 2 est épuisé, changez-le." in body
