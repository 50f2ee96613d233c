"""French as the pages and mails write it around a name they did not choose: « de » before a
collectivity's name elides before a vowel (« la commande groupée d'ECOLE JULES FERRY », not
« de ECOLE ») and contracts with its article (« du COLLÈGE … » for « LE COLLÈGE … »). Pure
Python: the domains, the mails and the pages may import it."""
import unicodedata

_VOWELS = set("aeiouy")


def _starts_with_vowel(word: str) -> bool:
    first = unicodedata.normalize("NFD", word[:1]).casefold()[:1]
    return first in _VOWELS


def of(name: str) -> str:
    """« de NAME » as French writes it: « d'ECOLE … », « d'Institut … », « du COLLÈGE … » (for
    « LE COLLÈGE … »), « des … » (« LES … »), « de LA … », « de L'… », else « de NAME ».
    An empty name stays « de »."""
    name = (name or "").strip()
    if not name:
        return "de"
    head, _, rest = name.partition(" ")
    article = head.casefold()
    if rest and article == "le":
        return f"du {rest}"
    if rest and article == "les":
        return f"des {rest}"
    if article == "la" or article.startswith(("l'", "l’")):
        return f"de {name}"
    if _starts_with_vowel(name):
        return f"d'{name}"
    return f"de {name}"
