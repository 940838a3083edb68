"""Create or drop a throw-away PostgreSQL database for a test run.

Usage: python -m tests.pg_database create|drop|url ADMIN_URL NAME
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql

from app.config import normalise_database_url


def _url_for(admin_url: str, name: str) -> str:
    base, _, _db = admin_url.rpartition("/")
    return f"{base}/{name}"


def main(argv: list[str]) -> int:
    action, admin_url, name = argv
    if action == "url":
        print(normalise_database_url(_url_for(admin_url, name)))
        return 0
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            if action == "create":
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            else:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
    except psycopg.OperationalError as exc:
        print(
            f"PostgreSQL is not reachable at {admin_url}: {exc}\n"
            "Start it (see README, 'Tests') or set PG_ADMIN_URL.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
