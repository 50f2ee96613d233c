"""Manage the webservice's API keys (the database must be migrated first):

    python -m services.librisoft_bridge.cli create-api-key <bookshop_code>   # prints the key
    python -m services.librisoft_bridge.cli list-api-keys
    python -m services.librisoft_bridge.cli revoke-api-key <id>

The key is printed once and stored only as its sha256 hash: give it to the Librisoft
integrator, who sends it in the X-Api-Key header."""
import argparse
import sys

from services.common.db import Database
from services.common.errors import DomainError

from . import keys
from .models import Base


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.librisoft_bridge.cli",
                                     description="API keys of the Librisoft webservice.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-api-key", help="create a key and print it")
    create.add_argument("bookshop_code")
    commands.add_parser("list-api-keys", help="list keys (never the keys themselves)")
    revoke = commands.add_parser("revoke-api-key", help="revoke a key by its id")
    revoke.add_argument("id", type=int)
    args = parser.parse_args(argv)

    db = Database("librisoft_bridge", Base.metadata)
    try:
        if args.command == "create-api-key":
            print(keys.create_key(db, args.bookshop_code))
        elif args.command == "list-api-keys":
            for key in keys.list_keys(db):
                state = f"revoked {key['revoked_at']:%Y-%m-%d}" if key["revoked_at"] else "active"
                print(f"{key['id']}\t{key['bookshop_code']}\t"
                      f"created {key['created_at']:%Y-%m-%d %H:%M}\t{state}")
        elif not keys.revoke_key(db, args.id):
            print(f"no active key with id {args.id}", file=sys.stderr)
            return 1
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
