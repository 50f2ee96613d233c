"""The pages of the totals to send to suppliers (issue 10 K2) and the sign-in sheet per
publisher (K4), without the services: the global view's period, the figures per publisher,
the CSV (`;`, UTF-8 with BOM) and a bad period refused in French."""
import csv
import io
from datetime import date
from types import SimpleNamespace

from services.common.errors import invalid
from services.grouped_orders import domain
from services.grouped_orders.presenters import supplier_recap_view
from tests.unit.gateway.conftest import sign_in
from tests.unit.grouped_orders.test_suppliers import ORDER_1, ORDER_2


def recap_view():
    orders = [SimpleNamespace(number=n, client_name=name, deadline=date(2026, 6, d),
                              status="awaiting_validation", article={"title": "WESTERN"},
                              titles=[1, 2]) for n, name, d in
              ((1, "COLLEGE VICTOR PROUVE", 12), (2, "ECOLE JULES FERRY", 20))]
    view = supplier_recap_view(domain.supplier_recap([ORDER_1, ORDER_2]), orders)
    return dict(view, start="2026-06-01", end="2026-06-30")


def test_the_global_view_its_csv_and_a_bad_period(client, rpc):
    rpc.answers[("grouped_orders", "admin_supplier_recap")] = lambda actor, start, end: \
        recap_view()
    sign_in(client, "admin")
    html = client.get("/admin/recapitulatif-fournisseurs?du=2026-06-01&au=2026-06-30").text
    assert "Récapitulatif fournisseurs — vue globale" in html
    assert rpc.called("grouped_orders", "admin_supplier_recap")[-1][1:] == ("2026-06-01",
                                                                            "2026-06-30")
    for name in ("ACTES SUD", "MIC MAC", "ORSO", "Total ORSO", "Sous-total TVA 20 %",
                 "COLLEGE VICTOR PROUVE", "Total général"):
        assert name in html
    assert "122,29" in html and "115,18" in html
    r = client.get("/admin/recapitulatif-fournisseurs.csv?du=2026-06-01&au=2026-06-30")
    assert r.status_code == 200 and r.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["editeur", "titre", "ean", "taux_tva", "exemplaires_payes",
                           "total_ttc_paye"]
    assert ["ORSO", "WESTERN COQUILLETTES", "9791097284657", "5.5", "5", "74.50", "70.61",
            "3.89", "1", "14.90", "14.12", "0", "0.00", "0.00", "1 2"] in rows
    assert ["", "Total général", "", "", "9", "122.29", "115.18", "7.11", "4", "44.87", "39.10",
            "0", "0.00", "0.00", "1 2"] == rows[-1]
    assert 'filename="recapitulatif-fournisseurs-2026-06-01-2026-06-30.csv"' in \
        r.headers["Content-Disposition"]

    rpc.answers[("grouped_orders", "admin_supplier_recap")] = invalid(
        "La fin de la période (« au ») est avant son début (« du »).",
        {"au": ["Pas avant la date « du »."]})
    r = client.get("/admin/recapitulatif-fournisseurs?du=2026-06-30&au=2026-06-01")
    assert r.status_code == 400 and "est avant son début" in r.text
    assert 'aria-invalid="true"' in r.text
    assert client.get("/admin/recapitulatif-fournisseurs.csv?du=x&au=y").status_code == 400


def test_the_initiator_sees_its_grouped_orders_recap_and_both_sign_in_sheets(client, rpc):
    rpc.answers[("grouped_orders", "supplier_recap")] = lambda actor, n: dict(recap_view(),
                                                                              number=n)
    rpc.answers[("grouped_orders", "export_pdf")] = lambda actor, n, kind: "JVBERi0="
    sign_in(client, "collectivite")
    html = client.get("/commandes-groupees/1/recapitulatif-produits").text
    assert "Récapitulatif par produits — commande groupée n°\xa01" in html
    assert "/commandes-groupees/1/recapitulatif-produits.csv" in html
    assert "vue globale" not in html.lower().split("<main")[-1]
    r = client.get("/commandes-groupees/1/pdf?par=editeur")
    assert r.status_code == 200 and "emargement-editeurs-1.pdf" in r.headers[
        "Content-Disposition"]
    client.get("/commandes-groupees/1/pdf")
    assert [args[2] for args in rpc.called("grouped_orders", "export_pdf")] == [
        "publishers", "global"]


def test_the_page_shows_the_copies_to_collect_at_pickup_apart(client, rpc):
    from tests.unit.grouped_orders.test_supplier_pickup import ORDER
    orders = [SimpleNamespace(number=7, client_name="ECOLE", deadline=date(2026, 6, 12),
                              status="awaiting_validation", article={"title": "WESTERN"},
                              titles=[1, 2])]
    view = dict(supplier_recap_view(domain.supplier_recap([ORDER]), orders),
                start="2026-06-01", end="2026-06-30")
    rpc.answers[("grouped_orders", "admin_supplier_recap")] = lambda actor, start, end: view
    sign_in(client, "admin")
    html = client.get("/admin/recapitulatif-fournisseurs?du=2026-06-01&au=2026-06-30").text
    assert '<th scope="col">À encaisser au retrait</th>' in html
    assert "à encaisser au retrait</span>" not in html  # no longer « dont … » of the awaiting
    # the grand total: awaiting 2 copies 24,89 €, at pickup 5 copies 64,68 € (HT 59,02 €)
    assert ('<td data-label="En attente de paiement">2</td>' in html
            and '<td data-label="À encaisser au retrait">5</td>' in html)
    assert "64,68" in html and "59,02" in html and "24,89" in html


def test_the_sign_in_sheet_is_not_named_as_the_grouped_order_s_document(client, rpc):
    """« Exporter la liste complète au format PDF » downloaded « commande-groupee-7.pdf », the
    name of « Détail de la commande (PDF) » too: the teacher's downloads folder had two different
    files of one name. The sheet is « emargement-commande-groupee-7.pdf »."""
    rpc.answers[("grouped_orders", "export_pdf")] = lambda actor, n, kind: "JVBERi0="
    rpc.answers[("grouped_orders", "order_document_pdf")] = "JVBERi0="
    sign_in(client, "collectivite")
    sheet = client.get("/commandes-groupees/7/pdf").headers["Content-Disposition"]
    assert sheet == 'attachment; filename="emargement-commande-groupee-7.pdf"'
    sign_in(client, "admin")
    sheet = client.get("/admin/commandes-groupees/7/pdf").headers["Content-Disposition"]
    assert sheet == 'attachment; filename="emargement-commande-groupee-7.pdf"'
