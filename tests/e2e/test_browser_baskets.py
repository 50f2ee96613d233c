"""The collectivity basket chain in a real browser (Playwright, Debian's Chromium, a phone-sized
viewport): the Utilisateur fills a basket from the catalogue and sends it, the Approbateur
returns it with a comment, then after the fix transmits it, the Collectivité transforms it into
an order with its reference, then orders it again (« Commander à nouveau »). Screenshots 20-…
to 29-… are kept under test-artifacts/."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_browser import login, menu, new_page, shot  # noqa: F401

pytestmark = pytest.mark.browser

CEMETERY = "9782330150136"
WESTERN = "9791097284657"


def open_basket(page, entry, name):
    menu(page).get_by_role("link", name=re.compile(f"^{entry}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(entry)
    page.get_by_role("link", name=re.compile(re.escape(name))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def signed_in(new_page, base, email, password=PASSWORD):
    """A new browser page, logged in as `email`."""
    page = new_page()
    login(page, base, email, password)
    return page


def test_the_basket_chain_from_the_catalogue_to_the_order(suite, people, new_page):
    base = suite.gateway_url
    name = f"Sélection CDI {uuid.uuid4().hex[:6]}"

    # the Utilisateur: its own price on the article sheet, into a new basket
    user = signed_in(new_page, base, people["utilisateur"]["email"])
    nav = menu(user)
    expect(nav.get_by_role("link", name=re.compile("^Mon panier"))).to_be_visible()
    expect(nav.get_by_role("link", name=re.compile("^Paniers à valider"))).to_have_count(0)
    nav.get_by_role("link", name="Catalogue").click()
    user.get_by_label("Rechercher par EAN, titre ou auteur").fill("CEMETERY ROAD")
    user.get_by_role("button", name="Rechercher").click()
    user.get_by_role("link", name="CEMETERY ROAD").click()
    own = user.get_by_role("region", name="Votre prix collectivité")
    expect(own).to_contain_text("22,75")
    expect(own).to_contain_text("9,00 %")
    shot(user, "20-article-prix-collectivite")
    user.get_by_label("Panier", exact=True).select_option(label="Un nouveau panier")
    user.get_by_role("button", name="Ajouter au panier").click()
    expect(user.get_by_role("status").first).to_contain_text("est créé avec cet article")

    user.get_by_label("Nouveau nom du panier").fill(name)
    user.get_by_role("button", name="Renommer le panier").click()
    expect(user.get_by_role("heading", level=1)).to_contain_text(name)
    user.get_by_label("Code EAN de l'article").fill(WESTERN)
    user.get_by_label("Quantité", exact=True).fill("3")
    user.get_by_role("button", name="Ajouter au panier").click()
    expect(user.get_by_role("row").filter(has_text="WESTERN COQUILLETTES")).to_have_count(1)
    cemetery = user.get_by_role("row").filter(has_text="CEMETERY ROAD")
    expect(cemetery).to_contain_text("9,00 %")
    expect(cemetery).to_contain_text("2,25")
    expect(cemetery).to_contain_text("22,75")
    expect(user.get_by_role("table", name="Totaux")).to_contain_text("Remise totale TTC")
    shot(user, "21-panier-utilisateur")
    user.get_by_role("button", name="Envoyer ce panier à l'approbateur").click()
    expect(user.get_by_text("À valider par l'approbateur").first).to_be_visible()
    expect(user.get_by_role("button", name="Envoyer ce panier à l'approbateur")).to_have_count(0)
    shot(user, "22-panier-envoye-approbateur")
    # a line forgotten: its creator takes it back while it waits untouched, then sends it again
    user.get_by_role("button", name="Reprendre ce panier").click()
    expect(user.get_by_role("status").first).to_contain_text("Le panier est repris")
    expect(user.get_by_role("button", name="Envoyer ce panier à l'approbateur")).to_be_visible()
    user.get_by_role("button", name="Envoyer ce panier à l'approbateur").click()
    expect(user.get_by_text("À valider par l'approbateur").first).to_be_visible()

    # the Approbateur returns it with a comment
    approver = signed_in(new_page, base, people["approbateur"]["email"])
    open_basket(approver, "Paniers à valider", name)
    expect(approver.get_by_role("button", name="Transmettre ce panier à la collectivité")) \
        .to_be_visible()
    expect(approver.get_by_role("button", name="Déverrouiller le panier")).to_be_visible()
    shot(approver, "23-panier-a-valider-approbateur")
    approver.get_by_label("Commentaire pour le rôle précédent").fill(
        "Deux WESTERN COQUILLETTES suffisent.")
    approver.get_by_role("button", name="Retourner ce panier au rôle précédent").click()
    expect(approver.get_by_role("status").first).to_contain_text("retourné à l'utilisateur qui l'a préparé")
    # issue 8 §5: not « Page introuvable » under the green message, but the baskets to validate
    expect(approver.get_by_role("heading", level=1)).to_have_text("Paniers à valider")
    expect(approver.get_by_text("introuvable")).to_have_count(0)
    shot(approver, "24-panier-retourne")

    # the Utilisateur sees the comment, fixes the quantity, sends it again
    user.reload()
    returned = user.get_by_role("status").filter(has_text="Ce panier vous a été retourné")
    expect(returned).to_contain_text("Deux WESTERN COQUILLETTES suffisent.")
    shot(user, "25-commentaire-de-retour")
    user.get_by_label("Quantité de WESTERN COQUILLETTES").fill("2")
    user.get_by_role("button", name="Mettre à jour la quantité de WESTERN COQUILLETTES").click()
    expect(user.get_by_role("status").first).to_contain_text("La quantité est mise à jour")
    user.get_by_role("button", name="Envoyer ce panier à l'approbateur").click()
    expect(user.get_by_text("À valider par l'approbateur").first).to_be_visible()

    # the Approbateur transmits it
    approver.goto(base + "/")
    open_basket(approver, "Paniers à valider", name)
    approver.get_by_role("button", name="Transmettre ce panier à la collectivité").click()
    expect(approver.get_by_text("À valider par la collectivité").first).to_be_visible()
    shot(approver, "26-panier-transmis-collectivite")

    # the Collectivité transforms it into an order with its reference
    coll = signed_in(new_page, base, people["collectivite"]["email"])
    open_basket(coll, "Paniers à valider", name)
    expect(coll.get_by_role("link", name="Transformer ce panier en demande de devis")) \
        .to_be_visible()
    coll.get_by_role("link", name="Transformer ce panier en commande").click()
    expect(coll.get_by_role("heading", name="FINALISER LA COMMANDE COLLECTIVITÉ")).to_be_visible()
    expect(coll.get_by_text("ECOLE JULES FERRY").first).to_be_visible()
    coll.get_by_label("Commentaire").fill("Livraison au CDI.")
    coll.get_by_role("button", name="Valider la commande collectivité").click()
    expect(coll.get_by_role("alert").first).to_be_visible()  # the reference is required
    coll.get_by_label("Référence collectivité").fill("123456")
    shot(coll, "27-finaliser-commande-collectivite")
    coll.get_by_role("button", name="Valider la commande collectivité").click()
    expect(coll.get_by_role("heading", level=1)).to_contain_text("Commande collectivité n°")
    expect(coll.get_by_text("123456").first).to_be_visible()
    expect(coll.get_by_text("En attente de traitement").first).to_be_visible()
    number = re.search(r"n° (\d+)", coll.get_by_role("heading", level=1).inner_text()).group(1)
    shot(coll, "28-commande-collectivite")

    # « Commander à nouveau »: a new basket with the order's lines, at today's prices
    coll.get_by_role("button", name="Commander à nouveau").click()
    expect(coll.get_by_role("status").first).to_contain_text(
        f"avec les articles de la commande n° {number}")
    expect(coll.get_by_role("heading", level=1)).to_contain_text(
        f"Reprise de la commande n° {number}")
    expect(coll.get_by_label("Quantité de WESTERN COQUILLETTES")).to_have_value("2")
    shot(coll, "28b-commander-a-nouveau")

    # the bookshop finds it in its list
    admin = signed_in(new_page, base, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.get_by_role("link", name="Gestion des commandes collectivité").first.click()
    admin.get_by_text("Filtrer les commandes").click()  # the filter is folded
    admin.get_by_label("N° de commande / N° Librisoft").fill(number)
    admin.get_by_role("button", name="Filtrer").click()
    row = admin.get_by_role("row").filter(has_text="ECOLE JULES FERRY")
    expect(row.first).to_be_visible()
    shot(admin, "29-gestion-commandes-collectivite")
