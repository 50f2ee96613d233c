"""The desk's progress mails (reference 002 §2): every state but Annulée and Erreur mails the
customer, the status in the mail's header (its subject and the top of its body), once (not when
the owner's event mailed already), with a deterministic Message-ID."""
from datetime import datetime, timezone

import pytest

from services.common.contracts.events import CONTRACTS, load_envelope, make_envelope
from services.common.db import Database
from services.common.progress import LABELS, PATH
from services.notifications import domain, presenters, use_cases
from services.notifications.adapters.transport import message_id
from services.notifications.models import Base, Mail

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc)
MOVE = {"order": {"kind": "collectivity_order", "number": 31}, "from_status": "processing",
        "to_status": "ready", "label": "Commande prête", "comment": "À retirer au comptoir",
        "by": "admin@librairie.test", "at": "2026-12-06T10:00:00+00:00",
        "customer_name": "ECOLE JULES FERRY", "customer_email": "Achats@ecole.fr",
        "total_ttc": "22.75", "detail_url": "http://x/collectivite/commandes/31"}


def received(payload):
    return load_envelope("order_progressed", make_envelope("order_progressed", payload,
                                                           "order_desk"))


def test_notifications_consumes_order_progressed():
    assert ("notifications", "on_order_progressed") in CONTRACTS["order_progressed"].consumers


@pytest.mark.parametrize("status", PATH)
def test_every_state_of_the_path_mails_with_the_status_in_the_header(status):
    _, payload = received(dict(MOVE, to_status=status, label=LABELS[status]))
    assert domain.wanted("order_progressed", payload)
    to, subject, body = presenters.render("order_progressed", payload, "http://x/")
    assert to == "Achats@ecole.fr"
    assert subject == f"{LABELS[status]} — votre commande n° 31"
    top = body.splitlines()[:3]
    assert top[1] == LABELS[status].upper() and top[2] == "Votre commande n° 31"
    assert "Voir" not in body and "http://x/collectivite/commandes/31" in body
    assert "22,75\xa0€ TTC" in body and "À retirer au comptoir" in body


@pytest.mark.parametrize("status", ["cancelled", "error"])
def test_cancelled_and_error_do_not_mail(status):
    _, payload = received(dict(MOVE, to_status=status, label=LABELS[status]))
    assert not domain.wanted("order_progressed", payload)


def test_no_second_mail_when_the_owner_mailed_and_none_without_an_address():
    assert not domain.wanted("order_progressed", received(dict(MOVE, mail=False))[1])
    assert not domain.wanted("order_progressed", received(dict(MOVE, customer_email=""))[1])
    assert received(MOVE)[1]["mail"] is True     # older producers: a mail


def test_a_collectivitys_progress_goes_to_who_placed_it_and_who_made_its_basket_too():
    """Its client's contact was the only one told: the teacher who placed the order heard
    nothing of « Commande prête ». Each address once; a contact-less order still mails them."""
    _, payload = received(dict(MOVE, cc_emails=["gestion@ecole.fr", "cdi@ecole.fr"]))
    assert domain.wanted("order_progressed", payload)
    to, _, _ = presenters.render("order_progressed", payload, "http://x/")
    assert to == ["Achats@ecole.fr", "gestion@ecole.fr", "cdi@ecole.fr"]
    _, alone = received(dict(MOVE, customer_email="", cc_emails=["gestion@ecole.fr"]))
    assert domain.wanted("order_progressed", alone)
    assert presenters.render("order_progressed", alone, "http://x/")[0] == ["gestion@ecole.fr"]
    assert received(MOVE)[1]["cc_emails"] == []  # older producers: the customer only


def test_each_kind_is_named_as_its_customer_knows_it():
    for kind, words in [("sub_order", "votre commande n° 7"),
                        ("grouped_order", "votre commande groupée n° 7"),
                        ("quote", "votre demande de devis n° 7")]:
        _, payload = received(dict(MOVE, order={"kind": kind, "number": 7},
                                   to_status="processing", label=LABELS["processing"],
                                   detail_url="", total_ttc=None, comment=""))
        _, subject, body = presenters.render("order_progressed", payload, "http://x/")
        assert subject.endswith(words) and "est en cours de traitement" in body
        assert "Notre site : http://x\n" in body and "Montant" not in body


def test_one_mail_per_event_with_its_deterministic_message_id(tmp_path):
    db = Database("notifications", Base.metadata, f"sqlite:///{tmp_path / 'n.db'}")
    Base.metadata.create_all(db.engine)
    envelope, payload = received(MOVE)
    with db.transaction() as s:
        queued = use_cases.mail_for_event(s, "order_progressed", payload, envelope, NOW, "http://x")
        assert len(queued) == 1
    with db.transaction() as s:
        (mail,) = s.query(Mail).all()
        assert mail.to_addr == "achats@ecole.fr" and mail.subject.startswith("Commande prête")
        # the Message-ID comes from the event and the recipient: the same at every attempt
        mid = message_id(mail.id, mail.to_addr, mail.event_id)
        assert mail.event_id == envelope["event_id"] and mid.startswith(f"<{envelope['event_id']}.")
        assert mid == message_id(mail.id + 1, mail.to_addr, mail.event_id)


def test_a_buyer_whose_email_was_corrected_is_told_at_the_new_one():
    from tests.unit.notifications.test_grouped_order_mails import REF
    payload = {"sub_order_number": 154, "previous_email": "lea@fre.fr",
               "grouped_order": dict(REF, number=65),
               "buyer": {"first_name": "Léa", "last_name": "Martin", "email": "lea@free.fr"},
               "quantity": 2, "total_ttc": "29.80", "status": "awaiting_payment",
               "status_label": "En attente de paiement", "payment_method": "online",
               "lines": [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                          "quantity": 2, "unit_price_ttc": "14.90", "vat_rate": "5.5",
                          "total_ttc": "29.80"}],
               "page_url": "http://x/souscription/t/commande/b",
               "corrected_at": "2026-12-06T10:00:00+00:00"}
    _, loaded = load_envelope("sub_order_email_corrected", make_envelope(
        "sub_order_email_corrected", payload, "grouped_orders"))
    assert domain.wanted("sub_order_email_corrected", loaded)
    to, subject, body = presenters.render("sub_order_email_corrected", loaded, "http://x/")
    assert to == "lea@free.fr"
    assert subject == "Votre commande n° 154 : adresse e-mail corrigée"
    assert "commande groupée n° 65 initiée par COLLEGE VICTOR PROUVE" in body
    assert "WESTERN COQUILLETTES : 2 × 14,90\xa0€ = 29,80\xa0€ TTC" in body
    assert "bouton « Payer » : http://x/souscription/t/commande/b" in body
    paid = dict(loaded, status="paid", status_label="Payée")
    assert "Votre commande : http://x/souscription" in presenters.render(
        "sub_order_email_corrected", paid, "http://x/")[2]


def test_a_grouped_orders_progress_mail_gives_no_amount_before_it_is_known():
    """The teacher read « Montant : 0,00 € TTC » for a grouped order of 1,000 € paid so far:
    its amount is known at the validation (the desk's page says so); a sub-order's stays."""
    _, payload = received(dict(MOVE, order={"kind": "grouped_order", "number": 2},
                               to_status="confirming", label=LABELS["confirming"],
                               total_ttc="0.00"))
    _, _, body = presenters.render("order_progressed", payload, "http://x/")
    assert "Montant" not in body
    _, payload = received(dict(MOVE, order={"kind": "grouped_order", "number": 2},
                               total_ttc="1015.40"))
    assert "Montant : 1" in presenters.render("order_progressed", payload, "http://x/")[2]
