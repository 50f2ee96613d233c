"""Every service's Alembic history, run to its head, gives exactly the tables its models
declare: a column or table added to a model without its migration (or the reverse) fails here,
before a deployment finds it."""
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from services.common import config
from services.common.migrations import alembic_config, service_metadata


@pytest.mark.parametrize("service", config.SERVICES)
def test_the_migrations_create_what_the_models_declare(service, tmp_path):
    url = f"sqlite:///{tmp_path / (service + '.db')}"
    command.upgrade(alembic_config(service, url), "head")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            differences = compare_metadata(context, service_metadata(service))
    finally:
        engine.dispose()
    assert differences == [], f"{service}: models and migrations differ: {differences}"


def test_the_messaging_tables_helper_creates_what_the_models_declare():
    """services.common.messaging_models.create_messaging_tables (every service's first
    revision) against the models, types and indexes included; drop_messaging_tables undoes it."""
    from alembic.operations import Operations
    from sqlalchemy import MetaData, inspect

    from services.common.db import make_base
    from services.common.messaging_models import (create_messaging_tables,
                                                  drop_messaging_tables)
    names = ("outbox", "processed_events", "dead_letters")
    models = MetaData()
    for table in make_base().metadata.sorted_tables:
        if table.name in names:
            table.to_metadata(models)
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            create_messaging_tables(Operations(context))
            assert sorted(inspect(connection).get_table_names()) == sorted(names)
            assert compare_metadata(context, models) == []
            drop_messaging_tables(Operations(context))
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()
