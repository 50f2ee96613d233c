"""A large article feed imported in a child process, so that the bridge's event loop keeps
answering its RPCs and webservice calls while 50,000 rows are parsed, checked and written.

    python -m services.librisoft_bridge.import_worker
        stdin:  one line of JSON {"mimetype": ..., "charset": ...}, then the feed's body
        stdout: {"report": {...}} as `use_cases.imports.import_articles` returns it, or
                {"error": {"code": ..., "message": ...}} for a feed refused whole (400/415)

The child opens the bridge's database from the same environment as the service."""
import json
import sys

from services.common.errors import DomainError

OFFLOAD_BYTES = 256 * 1024  # from this size on (about 500 articles) a feed goes to the child


def run(body: bytes, mimetype: str, charset: str | None) -> dict:
    """In the service: the report of importing `body` in a child; DomainError as the child
    raised it."""
    from services.common.offload import run_in_child

    header = json.dumps({"mimetype": mimetype, "charset": charset}).encode()
    answer = json.loads(run_in_child(__name__, header + b"\n" + body, timeout=600))
    if "error" in answer:
        raise DomainError(answer["error"]["message"], code=answer["error"]["code"])
    return answer["report"]


def main() -> int:
    from services.common.db import Database

    from .adapters import feeds
    from .models import Base
    from .use_cases import imports

    header, _, body = sys.stdin.buffer.read().partition(b"\n")
    params = json.loads(header)
    db = Database("librisoft_bridge", Base.metadata)
    try:
        rows = feeds.parse(body, params["mimetype"], params["charset"], "articles")
        with db.transaction() as session:
            answer = {"report": imports.import_articles(session, rows)}
    except DomainError as exc:
        answer = {"error": {"code": exc.code, "message": exc.message}}
    finally:
        db.dispose()
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
