"""Records: SQLAlchemy models, the one engine, migrations and queries."""
