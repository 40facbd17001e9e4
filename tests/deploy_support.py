"""Throwaway Postgres databases for the deployment tests (created per use, dropped afterwards)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
from psycopg2 import sql

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin(statement: sql.Composable) -> None:
    connection = psycopg2.connect(ADMIN, connect_timeout=10)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def postgres_available() -> bool:
    try:
        psycopg2.connect(ADMIN, connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def sqlalchemy_url(database: str) -> str:
    return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}"


@contextmanager
def throwaway_databases(*purposes: str) -> Iterator[dict[str, str]]:
    """``{purpose: database name}``, each database new and empty; all dropped on exit."""
    tag = uuid.uuid4().hex[:8]
    names = {purpose: f"llmops_test_{purpose}_{tag}" for purpose in purposes}
    try:
        for name in names.values():
            admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield names
    finally:
        for name in names.values():
            admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
