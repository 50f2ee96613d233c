"""The sign-in sheet: every sub-order with a column to sign, the summary, French formats."""
import re

from services.grouped_orders import sheet
from tests.support.pdf import pdf_pages, pdf_text


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
    text = pdf_text(sheet.render(view()), layout=True)
    assert "Commande groupée n° 62 — créée le 30/03/2022 (3 sous-commandes)" in text
    assert "Signature" in text and "Date d'achat" in text
    assert "30/03/2022 (à 09:46:47)" in text  # Paris time
    for i in range(3):
        assert re.search(rf"{147 + i}\s+Nom{i}\s+Prénom{i}\s+p{i}@free.fr\s+30/03/2022", text)
    assert "74,50 €" in text and "14,90 € TTC" in text and "29,80 €" in text
    assert "WESTERN COQUILLETTES" in text and "COLLEGE VICTOR PROUVE" in text
    assert "2, rue des jonquilles" in text and "En attente de traitement" in text
    assert "Récapitulatif de l'ensemble des sous-commandes" in text
    assert "payés 5" in text and "annulées 1" in text


def test_a_long_list_spans_pages_each_with_its_header_and_page_number():
    v = view(120)
    v["sub_orders"][7].update(status="cancelled", status_label="Annulée")
    v["sub_orders"][9]["email"] = ("un.parent.avec.une.adresse.tres.longue.vraiment"
                                   "@etablissement-scolaire-exemple.fr")
    data = sheet.render(v)
    pages = pdf_pages(data)
    assert pages >= 3
    text = pdf_text(data)
    assert text.count("Date d'achat") == pages  # the header on every page
    assert f"Page {pages} / {pages}" in text and "Page 1 / " in text
    assert all(f"Nom{i}\n" in text or f"Nom{i} " in text for i in range(120))
    assert "scolaire-exemple.fr" in text  # a long address wraps, nothing is cut off


def test_names_in_any_script_print():
    v = view(1)
    v["sub_orders"][0].update(first_name="Łucja", last_name="Nguyễn")
    text = pdf_text(sheet.render(v))
    assert "Łucja" in text and "Nguyễn" in text


def test_rendering_in_a_child_process_gives_the_same_document():
    data = sheet.render_in_child(view(2))
    assert data.startswith(b"%PDF") and pdf_text(data) == pdf_text(sheet.render(view(2)))


def test_a_reading_list_sheet_has_each_buyers_titles_and_the_figures_per_title():
    """Issue 10: the e-mail and date columns give way to each buyer's titles; the summary
    has a line per title."""
    v = view(2)
    titles = [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "price_ttc": "14.90",
               "required": True},
              {"ean": "9782330150136", "title": "CEMETERY ROAD", "price_ttc": "25.00",
               "required": False}]
    for s in v["sub_orders"]:
        s.update(quantity=3, total="54.80", lines=[
            {"title": "WESTERN COQUILLETTES", "quantity": 2},
            {"title": "CEMETERY ROAD", "quantity": 1}])
    v["sub_orders"][1]["lines"][1]["quantity"] = 0
    v.update(titles=titles, by_title=[
        {"title": "WESTERN COQUILLETTES", "copies": {"cancelled": 0, "awaiting_payment": 0,
                                                     "paid": 4}, "total_paid": "59.60"},
        {"title": "CEMETERY ROAD", "copies": {"cancelled": 0, "awaiting_payment": 0,
                                              "paid": 1}, "total_paid": "25.00"}])
    text = pdf_text(sheet.render(v), layout=True)
    assert "Titres" in text and "25,00 € TTC (facultatif) — CEMETERY ROAD" in text
    assert "Email" not in text and "2 × WESTERN COQUILLETTES" in text
    assert text.count("1 × CEMETERY ROAD") == 1  # a line of 0 copies is not written
    assert "CEMETERY ROAD : annulés 0 · en attente de paiement 0 · payés 1 · « Payés » 25,00 €" \
        in text


def test_a_title_too_long_for_the_heading_says_it_is_cut():
    """« 6,40 € TTC — LE LIVRE QU'IL NE FAUT » ended there, as if it were the whole title: a cut
    line ends with « … » (the whole title is in the rows and the summary)."""
    v = view(1)
    long_title = "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE !"
    v.update(titles=[{"ean": "9782362210419", "title": long_title, "price_ttc": "6.40",
                      "required": True},
                     {"ean": "9782330150136", "title": "CEMETERY ROAD", "price_ttc": "25.00",
                      "required": False}], by_title=[])
    for s in v["sub_orders"]:
        s.update(lines=[{"title": long_title, "quantity": 1}])
    text = pdf_text(sheet.render(v), layout=True)
    heading = text.split("Nom")[0]
    assert "6,40 € TTC — LE LIVRE" in heading and "…" in heading
    assert "25,00 € TTC (facultatif) — CEMETERY ROAD" in heading  # one that fits: as it is
    assert heading.count("…") == 1


def test_a_compound_name_too_long_for_its_cell_breaks_at_its_hyphen():
    """« O'Connor de La Tour d'Auvergne-Lauraguais » was printed « d'Auvergne-Laura / guais » on
    the sign-in sheet: a word too long for its cell breaks after its hyphen when it has one."""
    from services.common.sheets import fonts, wrap
    font = fonts()[0]
    width = 12 * 2.8346 * 2.6  # about the « Nom » column
    lines = wrap("O'Connor de La Tour d'Auvergne-Lauraguais", font, 8, width)
    assert "d'Auvergne-" in lines and "Lauraguais" in lines, lines
    # a word without a hyphen is still cut where it must, every piece fitting
    from reportlab.pdfbase.pdfmetrics import stringWidth
    pieces = wrap("Wolfeschlegelsteinhausenbergerdorff", font, 8, 40)
    assert "".join(pieces) == "Wolfeschlegelsteinhausenbergerdorff" and len(pieces) > 1
    assert all(stringWidth(p, font, 8) <= 40 for p in pieces)
    subs = view(1)
    subs["sub_orders"][0]["last_name"] = "O'Connor de La Tour d'Auvergne-Lauraguais"
    text = pdf_text(sheet.render(subs), layout=False)
    assert "Laura\nguais" not in text and "Lauraguais" in text


def test_the_sign_in_sheet_lists_the_buyers_by_name():
    """The sign-in sheet listed the buyers in the order they subscribed: on distribution day,
    finding « Petit » among thirty lines meant reading them all, while the distribution page
    lists them by name. Both sheets are by last name, then first name, accents ignored."""
    v = view(4)
    for s, (first, last) in zip(v["sub_orders"], (("Zoé", "Petit"), ("Éloïse", "Durand"),
                                                  ("Oscar", "Martin"), ("Ana", "Émery"))):
        s.update(first_name=first, last_name=last, lines=[
            {"title": "WESTERN", "quantity": 2, "total": "29.80", "publisher": "ORSO"}])
    assert [r[1] for r in sheet.sheet(v).rows] == ["Durand", "Émery", "Martin", "Petit"]
    assert [r[1] for r in sheet.publishers_sheet(v).rows] == ["Durand", "Émery", "Martin",
                                                              "Petit"]
    v["sub_orders"][2]["status"] = "cancelled"  # struck through, in its place
    drawn = sheet.sheet(v)
    assert drawn.struck == {2} and drawn.rows[2][1] == "Martin"


def test_the_pupil_a_parent_named_is_on_the_sheet_under_their_name():
    """The teacher checks who comes for which child (reference 004)."""
    v = view(2)
    v["sub_orders"][0]["pupil"] = "Tom Martin, CM2"
    text = " ".join(pdf_text(sheet.render(v)).split())  # the cell wraps
    assert "Nom0 Élève : Tom Martin, CM2 Prénom0" in text
    assert text.count("Élève :") == 1  # the other parent named none


def test_the_sheet_says_the_distribution_day_and_an_optional_title_dropped_at_the_close():
    """The teacher prints the sheet for distribution day: it did not say when; an optional
    title dropped under its minimum was still listed « (facultatif) »."""
    v = view(2)
    v.update(status="closed", distribution_date="2026-12-10",
             distribution_label="jeudi 10 décembre 2026, de 16 h 30 à 18 h",
             titles=[{"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                      "price_ttc": "14.90", "required": True},
                     {"ean": "9782330150136", "title": "CEMETERY ROAD", "price_ttc": "25.00",
                      "required": False}],
             progress={"titles": [{"ean": "9782330150136", "minimum_reached": False}]})
    for s in v["sub_orders"]:
        s["lines"] = [{"title": "WESTERN COQUILLETTES", "quantity": 2}]
    text = " ".join(pdf_text(sheet.render(v), layout=True).split())
    assert "jeudi 10 décembre 2026" in text and "de 16 h 30 à 18 h" in text
    assert "25,00 € TTC (retiré) — CEMETERY" in text  # a long title is cut at the block
    assert "(facultatif)" not in text
