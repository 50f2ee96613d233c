"""The pages in a real browser: Playwright drives Debian's Chromium. Screenshots are kept under
test-artifacts/ (a phone-sized viewport: the users run this from their phones too)."""
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    pg = context.new_page()
    yield pg
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, base, email, password):
    page.goto(base + "/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_admin_creates_a_collectivity_account_which_creates_a_user(suite, demo_feeds, page):
    base = suite.gateway_url
    coll_email = f"achats-{uuid.uuid4().hex[:6]}@ecole-jules-ferry.test"
    user_email = f"biblio-{uuid.uuid4().hex[:6]}@ecole-jules-ferry.test"

    login(page, base, ADMIN_EMAIL, "wrong password")
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    shot(page, "01-connexion-refusee")

    login(page, base, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration de la librairie")
    page.get_by_role("link", name="Gestion des clients collectivité").first.click()
    expect(page.get_by_role("cell", name="ECOLE JULES FERRY")).to_be_visible()
    shot(page, "02-gestion-clients-collectivite")

    page.get_by_role("link", name="Ajouter un compte collectivité").click()
    page.get_by_label("E-mail").fill(coll_email)
    page.get_by_label("Mot de passe").first.fill("short")
    page.get_by_label("Confirmation").fill("short")
    page.get_by_label("Collectivité", exact=True).check()
    page.get_by_label("ECOLE JULES FERRY").check()
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("alert").first).to_contain_text("trop faible")
    shot(page, "03-creation-refusee-mot-de-passe")
    page.get_by_label("Mot de passe").first.fill("collectivite-2026")
    page.get_by_label("Confirmation").fill("collectivite-2026")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("status")).to_contain_text(f"Le compte {coll_email} (Collectivité)")
    shot(page, "04-compte-collectivite-cree")
    page.get_by_role("button", name="Se déconnecter").click()

    login(page, base, coll_email, "collectivite-2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_text("ECOLE JULES FERRY")).to_be_visible()
    shot(page, "05-mon-compte-collectivite")
    page.get_by_role("link", name="Créer un compte").first.click()
    # a Collectivité account may create Utilisateur and Approbateur accounts, not more
    expect(page.get_by_label("Collectivité", exact=True)).to_have_count(0)
    page.get_by_label("E-mail").fill(user_email)
    page.get_by_label("Mot de passe").first.fill("utilisateur-2026")
    page.get_by_label("Confirmation").fill("utilisateur-2026")
    page.get_by_label("Utilisateur").check()
    page.get_by_label("ECOLE JULES FERRY").check()
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("status")).to_contain_text(f"Le compte {user_email} (Utilisateur)")
    expect(page.locator("td[data-label=\"E-mail\"]", has_text=user_email)).to_be_visible()
    shot(page, "06-compte-utilisateur-cree")
    page.get_by_role("button", name="Se déconnecter").click()

    login(page, base, user_email, "utilisateur-2026")
    page.get_by_role("link", name="Chercher dans le catalogue").click()
    page.get_by_label("Rechercher par EAN, titre ou auteur").fill("western")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="WESTERN COQUILLETTES").click()
    expect(page.get_by_text("14,90 €")).to_be_visible()
    shot(page, "07-fiche-article")
    # an Utilisateur has no account management: the server says so, not just the menu
    page.goto(base + "/comptes/nouveau")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    shot(page, "08-acces-refuse")
