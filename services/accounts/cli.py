"""python -m services.accounts.cli create-admin EMAIL [PASSWORD]   (asks when not given)

Creates a bookshop admin account directly in the accounts database (works without RabbitMQ)."""
import getpass
import sys

from services.common.clock import utcnow
from services.common.db import Database
from services.common.errors import DomainError

from . import use_cases
from .models import Base


def main(argv):
    if len(argv) not in (2, 3) or argv[0] != "create-admin":
        print(__doc__)
        return 2
    password = argv[2] if len(argv) == 3 else getpass.getpass("Mot de passe : ")
    db = Database("accounts", Base.metadata)
    try:
        with db.transaction() as session:
            account = use_cases.create_admin(session, argv[1], password, utcnow())
    except DomainError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1
    print(f"Compte administrateur créé : {account['email']} (n° {account['id']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
