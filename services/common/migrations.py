"""Alembic, one migration history per service (services/<name>/migrations), run on that
service's database only.

    python -m services.common.migrations upgrade [service ...]     # all when none named
    python -m services.common.migrations revision <service> "message"   # autogenerate
"""
import importlib
import sys

from alembic import command
from alembic.config import Config

from . import config


def alembic_config(service: str, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(config.ROOT / "services" / service / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or config.database_url(service)).replace("%", "%%"))
    cfg.attributes["service"] = service
    return cfg


def service_metadata(service: str):
    return importlib.import_module(f"services.{service}.models").Base.metadata


def run_env(context):
    """Body of every service's migrations/env.py."""
    from sqlalchemy import engine_from_config, pool

    cfg = context.config
    metadata = service_metadata(cfg.attributes.get("service") or _service_from_path(cfg))
    if context.is_offline_mode():
        context.configure(url=cfg.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                          literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(cfg.get_section(cfg.config_ini_section, {}) or
                                {"sqlalchemy.url": cfg.get_main_option("sqlalchemy.url")},
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


def _service_from_path(cfg):
    from pathlib import Path
    return Path(cfg.get_main_option("script_location")).parent.name


def upgrade(services=None, urls=None):
    for service in services or config.SERVICES:
        command.upgrade(alembic_config(service, (urls or {}).get(service)), "head")


def main(argv):
    if not argv or argv[0] not in ("upgrade", "revision"):
        print(__doc__)
        return 2
    if argv[0] == "upgrade":
        upgrade(argv[1:] or None)
        return 0
    service, message = argv[1], argv[2]
    command.revision(alembic_config(service), message=message, autogenerate=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
