"""Throwaway copies of the test database, and Odoo loaded in this process on
them, for tests and benchmarks that commit (several cursors must see the same
data) without touching the test database itself.

PostgreSQL copies a database only while nobody is connected to it: take copies
before a server opens the test database (see ``conftest.pristine_database``).
"""

import contextlib
import importlib.util
import os
import sys
import uuid
from pathlib import Path

import psycopg2
from psycopg2 import sql

_config_loaded = []


def _load_odoo_series():
    """The addon's odoo_series.py (what differs between Odoo 18.0 and 19.0),
    loaded from its file: importing the addon's package outside a registry
    would define its models."""
    path = Path(__file__).resolve().parent.parent / "sale_activity_playbooks"
    spec = importlib.util.spec_from_file_location(
        "sap_odoo_series", path / "odoo_series.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


odoo_series = _load_odoo_series()


def _admin_connection():
    cnx = psycopg2.connect(dbname="postgres")
    cnx.autocommit = True
    return cnx


def copy_database(source, prefix=None):
    """Create a copy of ``source`` and return its name."""
    target = f"{prefix or source}_{uuid.uuid4().hex[:8]}"
    with contextlib.closing(_admin_connection()) as cnx, cnx.cursor() as cr:
        cr.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(source)
            )
        )
    return target


def release_database(name):
    """Close the registry and connections Odoo has on ``name`` in this
    process (PostgreSQL copies or drops a database nobody is connected to)."""
    if "odoo.modules.registry" in sys.modules:
        import odoo

        odoo.modules.registry.Registry.delete(name)
        odoo.sql_db.close_db(name)


def drop_database(name):
    """Drop ``name``, closing the connections Odoo has in this process first."""
    release_database(name)
    with contextlib.closing(_admin_connection()) as cnx, cnx.cursor() as cr:
        cr.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def load_registry(config_path, database):
    """The Odoo registry of ``database``, loaded in this process with the
    test configuration (crons and HTTP off)."""
    import odoo
    from odoo.tools import config

    if not _config_loaded:
        config.parse_config(["-c", config_path, "--log-level=warn"])
        _config_loaded.append(config_path)
    config["test_enable"] = False
    config["max_cron_threads"] = 0
    return odoo.modules.registry.Registry(database)


def environment(cr):
    """A superuser environment on ``cr``."""
    from odoo import SUPERUSER_ID, api

    return api.Environment(cr, SUPERUSER_ID, {})


def required_env(name):
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"{name} is not set: run this through setup/test.")
    return value
