"""One search over the library and the case library, on PostgreSQL or SQLite."""
