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
