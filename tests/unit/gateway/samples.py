"""What the grouped_orders and payments services answer, as the pages receive it."""
ARTICLE = {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "author": "LE GUEN/XENARD",
           "publisher": "ORSO", "price_ttc": "14.90", "vat_rate": "5.5"}
TITLE = dict(ARTICLE, id=1, position=1, required=True, collection=None)
PUBLIC = {"number": 2, "status": "open", "status_label": "Commande ouverte",
          "client_name": "ECOLE JULES FERRY", "deadline": "2026-12-20", "article": ARTICLE,
          "unit_price": "14.90", "pickup_label": "À la librairie\nLibrairie des Collectivités",
          "subscriptions_open": True, "max_quantity": 30, "token": "T" * 32,
          "titles": [TITLE], "opens_on": None, "not_open_yet": False}


def sub(status="awaiting_payment", **kw):
    view = {"number": 2, "first_name": "Jared", "last_name": "Leto", "email": "jared@free.fr",
            "quantity": 2, "unit_price": "14.90", "total": "29.80", "status": status,
            "lines": [{"ean": ARTICLE["ean"], "title": ARTICLE["title"], "position": 1,
                       "required": True, "quantity": 2, "unit_price": "14.90",
                       "total": "29.80", "author": "", "publisher": "ORSO",
                       "vat_rate": "5.5"}],
            "status_label": {"awaiting_payment": "En attente de paiement", "paid": "Payée",
                             "cancelled": "Annulée"}[status],
            "refund_state": None, "refund_label": "", "last_payment_state": None,
            "last_payment_id": None, "paid_manually": False, "created_at":
            "2026-12-06T10:00:00+00:00", "grouped_order": PUBLIC, "can_pay": True,
            "buyer_token": "B" * 32}
    view.update(kw)
    return view


def grouped(status="open", subs=(), **kw):
    view = {"number": 7, "status": status, "status_label": {
                "open": "Commande ouverte", "awaiting_validation": "En attente de validation",
                "processing": "En attente de traitement", "closed": "Clôturée",
                "cancelled": "Annulée"}[status],
            "deadline": "2026-12-20", "days_left": 2, "deadline_warning": "",
            "deadline_passed": False, "subscriptions_open": status == "open",
            "initiator_id": 2, "initiator_email": "achats@ecole.fr", "client_number": "16",
            "client_name": "ECOLE JULES FERRY", "contact_email": "achats@ecole.fr",
            "contact_phone": "03 83 00 00 01", "article": ARTICLE, "unit_price": "14.90",
            "pickup_kind": "bookshop", "pickup_label": "À la librairie", "billing_label": "X",
            "comment": "", "created_at": "2026-12-01T10:00:00+00:00", "validated_at": None,
            "made_available_at": None, "cancelled_at": None, "cancel_reason": "",
            "classic_order_number": None, "librisoft_number": None, "librisoft_status": None,
            "summary": {"articles": {"cancelled": 0, "awaiting_payment": 0, "paid": 0},
                        "sub_orders": {"cancelled": 0, "awaiting_payment": 0, "paid": 0},
                        "total_awaiting": "0.00", "total_paid": "0.00"},
            "titles": [TITLE], "opens_on": None, "not_open_yet": False,
            "buyer_reminders": True, "reminded_at": None,
            "distribution_date": None, "distribution_slot": "", "distribution_label": "",
            "buyer_ready_mails": True,
            "by_title": [{"ean": ARTICLE["ean"], "title": ARTICLE["title"], "position": 1,
                          "required": True, "unit_price": "14.90",
                          "copies": {"cancelled": 0, "awaiting_payment": 0, "paid": 0},
                          "total_cancelled": "0.00", "total_awaiting": "0.00",
                          "total_paid": "0.00"}],
            "validation_blockers": [], "pending_payments": False,
            "subscription_url": "http://localhost/souscription/" + "T" * 32,
            "detail_url": "http://localhost/commandes-groupees/7",
            "sub_orders": list(subs)}
    view.update(kw)
    return view
