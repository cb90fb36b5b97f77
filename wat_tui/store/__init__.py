"""The SQLite store: data directory, schema and migrations, the operation log and its materialised
registers."""
