"""The pages in a real browser: Playwright drives Debian's Chromium. Screenshots are kept under
test-artifacts/ (a phone-sized viewport: the users run this from their phones too). Each page
screenshot is also checked by axe-core (0 critical, 0 serious violations) and for a page wider
than the phone's screen."""
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
AXE_JS = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    pg = context.new_page()
    yield pg
    context.close()


def axe_source():
    """axe-core from npm (scripts/ensure_axe.sh, run by `make test`; run here too when
    missing). Missing after that: the test fails, it is never skipped."""
    if not AXE_JS.exists():
        subprocess.run([str(ROOT / "scripts" / "ensure_axe.sh")], check=False)
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run scripts/ensure_axe.sh (needs npm)")
    return AXE_JS


def check_accessibility(page, name):
    """axe-core on the page as shown: no critical or serious violation."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        try:
            page.add_script_tag(path=str(axe_source()))
        except Exception:  # a strict CSP refuses an added <script>: evaluate it instead
            pass
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate("() => {" + axe_source().read_text() + "\n}")
    violations = page.evaluate("""async () => {
        const r = await window.axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in violations if v["impact"] in ("critical", "serious")]
    assert bad == [], f"{name} ({page.url}): axe-core violations {bad}"


def shot(page, name):
    """Screenshot, axe-core, and on a phone: nothing wider than the screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    check_accessibility(page, name)
    width = page.viewport_size["width"]
    wide = page.evaluate("""(width) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap')
                     && !e.closest('details:not([open])'))
        .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' +
                         (e.textContent || '').trim().slice(0, 40))""", width)
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"{name}: the page is {scroll} px wide on a {width} px " \
                                f"screen: {wide}"


def menu(page):
    """The main navigation; on a phone it is folded under « Menu » (a <details>)."""
    details = page.locator("details.menu")
    expect(details).to_be_attached()  # signed in (a sign-in may still be on its way)
    page.wait_for_load_state("load")  # menu.js has set the menu up
    if details.get_attribute("open") is None:
        details.locator("summary").click()
        expect(details).to_have_attribute("open", "")
    return page.get_by_role("navigation", name="Navigation principale")


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        context = browser.new_context(viewport=PHONE, locale="fr-FR")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


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
    expect(page.get_by_text("14,90 € TTC (14,12 € HT)")).to_be_visible()
    # a collectivity account also sees its own price: ECOLE JULES FERRY has 9 % on books
    expect(page.get_by_text("Prix public 14,90 € TTC, remise 9,00 % (1,34 €)")).to_be_visible()
    shot(page, "07-fiche-article")
    # an Utilisateur has no account management: the server says so, not just the menu
    page.goto(base + "/comptes/nouveau")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    shot(page, "08-acces-refuse")


def buy(page, link, first, last, quantity, refuse_first=False):
    page.goto(link)
    page.get_by_label("Prénom").fill(first)
    page.get_by_label(re.compile("^Nom")).fill(last)
    page.get_by_label("Adresse e-mail").fill(f"{first}.{last}@free.fr".lower())
    page.get_by_label("Quantité").fill(str(quantity))
    expect(page.locator("#total")).to_contain_text(f"{14.90 * quantity:.2f}".replace(".", ","))
    page.get_by_label("J'accepte les conditions générales de vente").check()
    page.get_by_role("button", name="Payer la commande").click()
    expect(page.get_by_role("button", name="Refuser")).to_be_visible()
    if refuse_first:
        shot(page, f"12-sandbox-{last.lower()}")
        page.get_by_role("button", name="Refuser").click()
        expect(page.get_by_role("alert")).to_contain_text("refusé")
        shot(page, f"13-paiement-refuse-{last.lower()}")
        page.get_by_role("button", name="Réessayer le paiement").click()
    page.get_by_role("button", name="Payer", exact=False).first.click()
    expect(page.get_by_role("status")).to_contain_text("Paiement confirmé", timeout=20000)


def test_a_grouped_order_journey_in_the_browser(suite, smtp, people, demo_feeds, page,
                                               new_page):
    from tests.e2e.conftest import PASSWORD
    from tests.e2e import grouped
    base = suite.gateway_url
    login(page, base, people["collectivite"]["email"], PASSWORD)
    page.get_by_role("link", name="Mes commandes groupées").first.click()
    page.get_by_role("link", name="Créer une nouvelle commande groupée").click()
    page.get_by_label("Rechercher un article").fill("western coquillettes")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Choisir WESTERN COQUILLETTES").click()
    expect(page.get_by_text("prix public")).to_be_visible()
    deadline = grouped.paris_today() + __import__("datetime").timedelta(days=5)
    page.get_by_label("Date limite de souscription").fill(deadline.isoformat())
    page.get_by_label("À la librairie", exact=False).check()
    shot(page, "10-creation-commande-groupee")
    page.get_by_role("button", name="Créer la commande groupée").click()
    expect(page.get_by_role("status")).to_contain_text("est créée")
    link = page.locator("a[href*='/souscription/']").first.get_attribute("href")
    number = int(re.search(r"n° (\d+)", page.get_by_role("heading", level=1).inner_text())[1])
    shot(page, "11-commande-groupee-creee")

    buy(new_page(), link, "Jared", "Leto", 2, refuse_first=True)
    second = new_page()
    buy(second, link, "Mickey", "Rourke", 3)
    shot(second, "14-paiement-confirme")

    page.reload()
    expect(page.get_by_role("cell", name="74,50 €")).to_be_visible()
    shot(page, "15-suivi-initiateur")

    # the README's tour, in the app: the deadline is days away, the bookshop closes it now
    admin = new_page()
    login(admin, base, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.get_by_role("link", name="Commandes groupées").first.click()
    admin.get_by_role("link", name=f"Voir détail de la commande {number}").click()
    expect(admin.get_by_text("Vous pourrez valider cette commande groupée dans")).to_be_visible()
    admin.get_by_role("button", name="Clore les souscriptions maintenant").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Clore les souscriptions")
    shot(admin, "16a-confirmer-la-cloture")
    admin.get_by_role("button", name="Clore les souscriptions maintenant").click()
    expect(admin.get_by_role("status").first).to_contain_text("Les souscriptions sont closes")
    smtp.wait_for(people["collectivite"]["email"], timeout=60,
                  subject_contains=f"n° {number} : souscriptions closes par la librairie")
    button = admin.get_by_role("button", name="Valider la commande groupée et envoyer vers "
                                              "LIBRISOFT")
    shot(admin, "16-admin-avant-validation")
    button.click()
    expect(admin.get_by_role("status").first).to_contain_text("validée et envoyée vers LIBRISOFT")
    admin.get_by_role("link", name="Mettre à disposition").click()
    shot(admin, "17-confirmation-mise-a-disposition")
    admin.get_by_role("button", name="Envoyer le mail et clôturer la commande").click()
    expect(admin.get_by_text("Clôturée", exact=True)).to_be_visible()
    shot(admin, "18-commande-cloturee")

    closed = new_page()
    closed.goto(link)
    expect(closed.get_by_role("alert")).to_contain_text("souscriptions à cette commande "
                                                        "groupée sont closes")
    shot(closed, "19-souscriptions-closes")
