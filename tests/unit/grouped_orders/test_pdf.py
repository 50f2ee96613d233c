"""The sign-in sheet: every sub-order with a column to sign, the summary, French formats."""
from weasyprint import HTML

from services.grouped_orders import pdf


def view(n_subs=3):
    subs = [{"number": 147 + i, "first_name": f"Prénom{i}", "last_name": f"Nom{i}",
             "email": f"p{i}@free.fr", "created_at": "2022-03-30T07:46:47+00:00", "quantity": 2,
             "status": "paid", "status_label": "Payée", "total": "29.80"} for i in range(n_subs)]
    return {"number": 62, "created_at": "2022-03-30T07:26:59+00:00", "deadline": "2022-03-29",
            "status_label": "En attente de traitement", "client_name": "COLLEGE VICTOR PROUVE",
            "initiator_email": "approbateur@victorprouve.org",
            "pickup_label": "COLLEGE Victor prouve\n2, rue des jonquilles",
            "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                        "author": "LE GUEN/XENARD"},
            "unit_price": "14.90", "sub_orders": subs,
            "summary": {"articles": {"cancelled": 1, "awaiting_payment": 0, "paid": 5},
                        "sub_orders": {"cancelled": 1, "awaiting_payment": 0, "paid": 2},
                        "total_awaiting": "0.00", "total_paid": "74.50"}}


def test_the_sheet_lists_every_buyer_with_a_column_to_sign():
    html = pdf.html(view())
    assert "Commande groupée n° 62 — créée le 30/03/2022 (3 sous-commandes)" in html
    assert html.count("<td class=\"sign\"></td>") == 3 and "<th>Signature</th>" in html
    assert "30/03/2022 (à 09:46:47)" in html  # Paris time
    assert "74,50\xa0€" in html and "14,90\xa0€" in html


def test_it_renders_a_pdf_and_a_long_list_spans_pages_with_its_header():
    data = pdf.render(view(2))
    assert data.startswith(b"%PDF")
    document = HTML(string=pdf.html(view(120))).render()
    assert len(document.pages) >= 3


def test_rendering_in_a_child_process_gives_the_same_document():
    data = pdf.render_in_child(view(2))
    assert data.startswith(b"%PDF") and len(data) > 1000
