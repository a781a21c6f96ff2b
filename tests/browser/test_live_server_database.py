"""The live server's database (see ``django_db_modify_db_settings`` in conftest.py)."""

from __future__ import annotations

from django.db import connection


def test_on_sqlite_the_live_server_has_a_database_file_of_its_own(live_server) -> None:
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"  # separate connections per thread already
        return
    name = str(connection.settings_dict["NAME"])
    assert "memory" not in name and name.endswith("test.sqlite3")
    # nothing shared: each live-server thread opens its own connection to the file
    assert live_server.thread.connections_override == {}
