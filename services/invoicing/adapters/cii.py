"""The EN 16931 (Factur-X profile EN16931) Cross Industry Invoice XML of an invoice or a credit
note, from the PDF's view (services.invoicing.presenters.document_view): seller and buyer with
their SIRET (scheme 0009) and VAT number, the Chorus Pro service code as the buyer reference
(BT-10), the lines, the VAT breakdown per rate, the payment terms and due date, the totals.
Every amount is the view's own (the snapshot's), so the XML and the PDF say the same."""
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

TYPE_CODES = {"invoice": "380", "credit_note": "381"}
PRICE = Decimal("0.0001")  # a unit price HT (BT-146, BT-148): line HT / quantity, 4 decimals
POSTCODE_CITY = re.compile(r"^\s*(\d{5})\s+(.+)$")


def _q(tag):
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def _el(parent, tag, text=None, **attrs):
    node = ET.SubElement(parent, _q(tag), attrs)
    if text is not None:
        node.text = str(text)
    return node


def _date(parent, tag, iso_date):
    holder = _el(parent, tag)
    _el(holder, "udt:DateTimeString", iso_date.replace("-", "")[:8], format="102")


def _address(parent, lines):
    """Postcode and city from the line that starts with five digits; the others before it."""
    lines = [ln for ln in lines if ln.strip()]
    postcode, city, street = "", "", []
    for ln in lines:
        match = POSTCODE_CITY.match(ln)
        if match and not postcode:
            postcode, city = match.group(1), match.group(2).strip()
        elif not postcode:
            street.append(ln.strip())
    address = _el(parent, "ram:PostalTradeAddress")
    if postcode:
        _el(address, "ram:PostcodeCode", postcode)
    if street:
        _el(address, "ram:LineOne", street[-1])
    if city:
        _el(address, "ram:CityName", city)
    _el(address, "ram:CountryID", "FR")


def _party(parent, tag, name, siret, address_lines, vat_number=None, email=None):
    party = _el(parent, tag)
    _el(party, "ram:Name", name)
    if siret:
        org = _el(party, "ram:SpecifiedLegalOrganization")
        _el(org, "ram:ID", siret, schemeID="0009")
    _address(party, address_lines)
    if email:
        uri = _el(party, "ram:URIUniversalCommunication")
        _el(uri, "ram:URIID", email, schemeID="EM")
    if vat_number:
        reg = _el(party, "ram:SpecifiedTaxRegistration")
        _el(reg, "ram:ID", vat_number, schemeID="VA")
    return party


def _rate(value):
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def build(view: dict) -> bytes:
    seller, customer = view["seller"], view["customer"]
    root = ET.Element(_q("rsm:CrossIndustryInvoice"))
    context = _el(root, "rsm:ExchangedDocumentContext")
    guideline = _el(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _el(guideline, "ram:ID", "urn:cen.eu:en16931:2017")
    doc = _el(root, "rsm:ExchangedDocument")
    _el(doc, "ram:ID", view["number"])
    _el(doc, "ram:TypeCode", TYPE_CODES[view["kind"]])
    _date(doc, "ram:IssueDateTime", view["issued_on"])
    for subject, text in (("REG", f"{seller['legal_form']} — {seller['rcs']}"),
                          ("PMT", view["payment_text"]),
                          ("PMD", " ".join(view["notes"]))):
        if text:
            note = _el(doc, "ram:IncludedNote")
            _el(note, "ram:Content", text)
            _el(note, "ram:SubjectCode", subject)

    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in view["lines"]:
        item = _el(trade, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line["position"])
        product = _el(item, "ram:SpecifiedTradeProduct")
        if line["ean"]:
            _el(product, "ram:GlobalID", line["ean"], schemeID="0160")
        _el(product, "ram:Name", line["title"] or line["ean"] or "Article")
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        net_price = (Decimal(line["total_ht"]) / line["quantity"]).quantize(PRICE)
        if line.get("discount_percent"):  # the collectivity's discount (BT-148, BT-147)
            divisor = 1 + Decimal(line["vat_rate"]) / 100
            gross = (Decimal(line["public_price_ttc"]) / divisor).quantize(PRICE)
            price = _el(agreement, "ram:GrossPriceProductTradePrice")
            _el(price, "ram:ChargeAmount", format(gross, "f"))
            allowance = _el(price, "ram:AppliedTradeAllowanceCharge")
            _el(_el(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
            _el(allowance, "ram:ActualAmount", format(gross - net_price, "f"))
        _el(_el(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount",
            format(net_price, "f"))
        delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
        _el(delivery, "ram:BilledQuantity", line["quantity"], unitCode="C62")
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", "S")
        _el(tax, "ram:RateApplicablePercent", _rate(line["vat_rate"]))
        summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _el(summation, "ram:LineTotalAmount", line["total_ht"])

    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    if customer.get("chorus_service_code"):
        _el(agreement, "ram:BuyerReference", customer["chorus_service_code"])
    _party(agreement, "ram:SellerTradeParty", seller["name"], seller["siret"],
           seller["address_lines"], vat_number=seller["vat_number"], email=seller.get("email"))
    _party(agreement, "ram:BuyerTradeParty", customer["name"], customer.get("siret"),
           customer.get("address_lines") or [], email=customer.get("email") or None)
    if view.get("reference"):
        ref = _el(agreement, "ram:BuyerOrderReferencedDocument")
        _el(ref, "ram:IssuerAssignedID", view["reference"][:100])

    delivery = _el(trade, "ram:ApplicableHeaderTradeDelivery")
    event = _el(delivery, "ram:ActualDeliverySupplyChainEvent")
    _date(event, "ram:OccurrenceDateTime", view["sale_date"])

    settlement = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    if seller.get("iban") and view["kind"] == "invoice":  # the seller's account: to pay it
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "30")
        account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
        _el(account, "ram:IBANID", seller["iban"].replace(" ", ""))
    for vat in view["vat"]:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", vat["amount"])
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:BasisAmount", vat["base_ht"])
        _el(tax, "ram:CategoryCode", "S")
        _el(tax, "ram:RateApplicablePercent", _rate(vat["rate"]))
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    _el(terms, "ram:Description", view["payment_text"])
    if view["kind"] == "invoice":
        _date(terms, "ram:DueDateDateTime", view["due_on"])
    summation = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(summation, "ram:LineTotalAmount", view["total_ht"])
    _el(summation, "ram:TaxBasisTotalAmount", view["total_ht"])
    _el(summation, "ram:TaxTotalAmount", view["vat_total"], currencyID="EUR")
    _el(summation, "ram:GrandTotalAmount", view["total_ttc"])
    # what was paid, net of a refund noted at pickup (`settlement`; an older view: all or none)
    prepaid = (view.get("settlement") or {}).get("net_paid") or (
        view["total_ttc"] if view["paid"] else "0.00")
    if view["kind"] == "credit_note":  # what the bookshop already handed back at pickup
        prepaid = (view.get("credit") or {}).get("already_refunded") or "0.00"
    _el(summation, "ram:TotalPrepaidAmount", prepaid)
    _el(summation, "ram:DuePayableAmount",
        format(Decimal(view["total_ttc"]) - Decimal(prepaid), "f"))
    if view["kind"] == "credit_note" and view.get("invoice_number"):
        ref = _el(settlement, "ram:InvoiceReferencedDocument")  # BG-3: the invoice corrected
        _el(ref, "ram:IssuerAssignedID", view["invoice_number"])
        if view.get("invoice_issued_on"):
            issued = _el(ref, "ram:FormattedIssueDateTime")
            _el(issued, "qdt:DateTimeString", view["invoice_issued_on"].replace("-", ""),
                format="102")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
