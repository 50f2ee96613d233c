"""The password policy (reference 001, "Contraintes de fonctionnement"): 10 to 128 characters,
the confirmation equal to the password. Hashing (argon2id) is an adapter:
`services.accounts.adapters.passwords`."""
from services.common.errors import invalid

PASSWORD_MIN = 10
PASSWORD_MAX = 128


def check_password(password, confirmation=None):
    problems = []
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        problems.append(f"Au moins {PASSWORD_MIN} caractères.")
    elif len(password) > PASSWORD_MAX:
        problems.append(f"Au plus {PASSWORD_MAX} caractères.")
    if confirmation is not None and confirmation != password:
        raise invalid("La confirmation ne correspond pas au mot de passe.",
                      {"confirmation": ["Différente du mot de passe."]})
    if problems:
        said = " ".join(problems)
        raise invalid("Le mot de passe est trop faible : " + said[0].lower() + said[1:],
                      {"password": problems})
