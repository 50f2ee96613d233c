"""Demo feeds, as Librisoft would send them: the clients and the three articles of the reference
manuals, plus generated but plausible articles (deterministic: same rows on every call).

    python -m services.librisoft_bridge.demo articles [n] > articles.json   # {"articles": [...]}
    python -m services.librisoft_bridge.demo clients > clients.json
"""
import json
import random
import sys

from stdnum import ean as stdnum_ean

REFERENCE_ARTICLES = [
    {"ean": "9782362210419",
     "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE !",
     "author": "LAROCHE SOPHIE", "publisher": "MIC MAC EDITION", "collection": "ROMAN - ADOS",
     "genre": "FICTIONS ADOLESCENTS", "publication_date": "2011-04-29", "format": "Broché",
     "weight_g": 194, "height_mm": 180, "width_mm": 118, "thickness_mm": 12,
     "price_ttc": "6.40", "vat_rate": "5.5", "availability": "disponible"},
    {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "author": "LE GUEN/XENARD",
     "publisher": "ORSO", "genre": "BANDE DESSINÉE", "price_ttc": "14.90", "vat_rate": "5.5",
     "availability": "disponible"},
    {"ean": "9782330150136", "title": "CEMETERY ROAD", "author": "ILES GREG",
     "publisher": "ACTES SUD", "genre": "POLICIER", "price_ttc": "25.00", "vat_rate": "5.5",
     "availability": "disponible"},
]

SUBJECTS = ("L'ÉTÉ", "LE CAFÉ", "LA MAISON", "LES ENFANTS", "LE SECRET", "LA DERNIÈRE LETTRE",
            "LES MÉMOIRES", "LE JARDIN", "L'ÎLE", "LA FORÊT", "LE VOYAGE", "LES OISEAUX",
            "LA FENÊTRE", "LE SILENCE", "L'HÉRITIÈRE", "LA CHOUETTE", "LE PHARE", "L'ÉCUME")
COMPLEMENTS = ("DES LUCIOLES", "DE LA RUE STANISLAS", "DU BOUT DU MONDE", "D'ÉLISE",
               "SOUS LA NEIGE", "À NANCY", "DES VOSGES", "DE L'ÉCRIVAIN", "EN HIVER", "DE NOËL",
               "DES OMBRES", "SANS RETOUR", "DE LA MEURTHE", "DU CANAL", "AUX ÉTOILES")
LAST_NAMES = ("MARTIN", "BERNARD", "DUBOIS", "THOMAS", "PETIT", "DURAND", "LEROY", "MOREAU",
              "LAURENT", "LEFÈVRE", "GARCIA", "FRANÇOIS", "MERCIER", "BONNET", "GIRARD", "ANDRÉ")
FIRST_NAMES = ("CLAIRE", "HÉLÈNE", "JULIEN", "CAMILLE", "LUCAS", "MANON", "THÉO", "CHLOÉ",
               "ÉMILE", "JEANNE", "NOÉ", "LÉA", "ANTOINE", "ZOÉ", "RAPHAËL")
PUBLISHERS = (("GALLIMARD", "FOLIO"), ("FLAMMARION", None), ("ACTES SUD", "BABEL"),
              ("ALBIN MICHEL", None), ("L'ÉCOLE DES LOISIRS", "MÉDIUM"), ("CASTERMAN", None),
              ("LE LIVRE DE POCHE", "POLICIER"), ("GLÉNAT", None), ("BAYARD JEUNESSE", None))
GENRES = ("ROMAN FRANÇAIS", "ROMAN ÉTRANGER", "POLICIER", "BANDE DESSINÉE", "JEUNESSE",
          "FICTIONS ADOLESCENTS", "HISTOIRE", "BEAUX-ARTS", "SCIENCES")
SCHOOL = (("MATHÉMATIQUES", "HATIER"), ("FRANÇAIS", "NATHAN"), ("HISTOIRE-GÉOGRAPHIE", "BORDAS"),
          ("PHYSIQUE-CHIMIE", "BELIN ÉDUCATION"), ("ANGLAIS", "MAGNARD"),
          ("SVT", "HACHETTE ÉDUCATION"))
LEVELS = ("CM1", "CM2", "6E", "5E", "4E", "3E")
NON_BOOKS = (("CARNET DE NOTES LIGNÉ A5", "CLAIREFONTAINE", "PAPETERIE"),
             ("AGENDA SCOLAIRE 2025-2026", "EXACOMPTA", "PAPETERIE"),
             ("COFFRET DE 24 CRAYONS DE COULEUR", "CLAIREFONTAINE", "PAPETERIE"),
             ("PUZZLE 500 PIÈCES - PLACE STANISLAS", "DJECO", "JEUX"),
             ("JEU DE CARTES - LA BATAILLE DES CHÂTEAUX", "DJECO", "JEUX"))
PRESS = (("J'AIME LIRE", "BAYARD PRESSE"), ("PHOSPHORE", "BAYARD PRESSE"),
         ("GÉO ADO", "PRISMA MEDIA"), ("WAPITI", "MILAN PRESSE"))
SUMMARIES = ("Un roman lumineux sur l'amitié et les secrets de famille.",
             "Une enquête haletante dans les rues de Nancy.",
             "Un récit tendre et drôle, à lire dès 10 ans.", None)


def demo_articles(n: int = 300) -> list:
    """The three reference articles, then n - 3 generated ones (valid EAN13s, seeded)."""
    rng, seen = random.Random(2024), {a["ean"] for a in REFERENCE_ARTICLES}
    rows = [dict(article) for article in REFERENCE_ARTICLES[:n]]
    while len(rows) < n:
        prefix, make = rng.choices(list(KINDS), [weight for weight in KINDS.values()])[0]
        rows.append({"ean": _ean(rng, prefix, seen), **make(rng, len(rows))})
    return rows


def _ean(rng, prefix, seen):
    while True:
        body = prefix + "".join(rng.choice("0123456789") for _ in range(12 - len(prefix)))
        code = body + stdnum_ean.calc_check_digit(body)
        if code not in seen:
            seen.add(code)
            return code


def _price(rng, low, high):
    return f"{rng.randint(low, high)}.{rng.choice((0, 50, 90, 95)):02d}"


def _book(rng, index):
    publisher, collection = rng.choice(PUBLISHERS)
    availability = rng.choices(("disponible", "sur_commande", "a_paraitre", "epuise"),
                               (85, 8, 4, 3))[0]
    year = 2027 if availability == "a_paraitre" else rng.randint(2005, 2025)
    pocket = collection is not None
    title = f"{rng.choice(SUBJECTS)} {rng.choice(COMPLEMENTS)}"
    return {"title": title + (f" - TOME {rng.randint(2, 4)}" if index % 17 == 0 else ""),
            "author": f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}",
            "publisher": publisher, "collection": collection, "genre": rng.choice(GENRES),
            "publication_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "format": "Poche" if pocket else rng.choice(("Broché", "Relié", "Cartonné")),
            "weight_g": rng.randint(150, 260) if pocket else rng.randint(250, 900),
            "height_mm": 178 if pocket else rng.choice((210, 225, 240, 297)),
            "width_mm": 110 if pocket else rng.choice((140, 155, 170, 220)),
            "thickness_mm": rng.randint(10, 40),
            "price_ttc": _price(rng, 6, 9) if pocket else _price(rng, 12, 29),
            "vat_rate": "5.5", "school_book": False, "availability": availability,
            "summary": rng.choice(SUMMARIES)}


def _school(rng, _index):
    subject, publisher = rng.choice(SCHOOL)
    level = rng.choice(LEVELS)
    return {"title": f"{subject} {level} - {rng.choice(('MANUEL', 'CAHIER D’EXERCICES'))}",
            "publisher": publisher, "genre": "SCOLAIRE", "format": "Broché",
            "publication_date": f"{rng.randint(2019, 2025)}-06-{rng.randint(1, 28):02d}",
            "weight_g": rng.randint(300, 900), "price_ttc": _price(rng, 8, 29),
            "vat_rate": "5.5", "school_book": True, "availability": "disponible"}


def _non_book(rng, _index):
    title, brand, genre = rng.choice(NON_BOOKS)
    return {"title": title, "publisher": brand, "genre": genre, "price_ttc": _price(rng, 3, 19),
            "vat_rate": "20", "school_book": False, "availability": "disponible"}


def _press(rng, _index):
    title, publisher = rng.choice(PRESS)
    return {"title": f"{title} N° {rng.randint(300, 600)}", "publisher": publisher,
            "genre": "PRESSE", "price_ttc": _price(rng, 4, 7), "vat_rate": "2.1",
            "school_book": False, "availability": "disponible"}


# (EAN prefix, generator) -> weight: books, school books, stationery and games, press
KINDS = {("9782", _book): 80, ("9782", _school): 10, ("3760", _non_book): 6, ("9770", _press): 4}


def demo_clients() -> list:
    """Three collectivity clients of the reference manuals and one private client (skipped)."""
    return [
        {"number": "21", "name": "COLLEGE VICTOR PROUVE", "collectivity": True,
         "addresses": [
             {"label": "CDI", "line1": "2 rue des Jonquilles", "line2": "",
              "postal_code": "54000", "city": "NANCY"},
             {"label": "Intendance", "line1": "2 rue des Jonquilles", "line2": "Bâtiment A",
              "postal_code": "54000", "city": "NANCY"}],
         "phone": "03 88 69 69 69", "email": "approbateur@victorprouve.org",
         "discount_2_1": "0", "discount_5_5": "9", "discount_20": "5", "discount_school": "15"},
        {"number": "16", "name": "ECOLE JULES FERRY", "collectivity": True,
         "addresses": [{"label": "Direction", "line1": "12 rue de Vic", "line2": "",
                        "postal_code": "54000", "city": "NANCY"}],
         "phone": "03 83 30 12 16", "email": "ce.0540016@example.org",
         "discount_2_1": "0", "discount_5_5": "9", "discount_20": "0", "discount_school": "0"},
        {"number": "8010000696914", "name": "MEDIATHEQUE DE L'ORANGERIE", "collectivity": True,
         "gencod": "3056021010006",
         "addresses": [{"label": "Accueil", "line1": "Rue de l'Orangerie", "line2": "",
                        "postal_code": "54300", "city": "LUNÉVILLE"}],
         "email": "mediatheque.orangerie@example.org",
         "discount_2_1": "0", "discount_5_5": "9", "discount_20": "5", "discount_school": "0"},
        {"number": "4711", "name": "DUPONT MARIE", "collectivity": False,
         "addresses": [{"label": "", "line1": "8 rue Saint-Dizier", "line2": "",
                        "postal_code": "54000", "city": "NANCY"}],
         "email": "marie.dupont@example.org"},
    ]


def main(argv) -> int:
    if not argv or argv[0] not in ("articles", "clients"):
        print(__doc__)
        return 2
    rows = demo_clients() if argv[0] == "clients" else demo_articles(*map(int, argv[1:2]))
    json.dump({argv[0]: rows}, sys.stdout, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
