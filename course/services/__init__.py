"""Use cases: one transaction each, with the acting user checked in that same transaction."""
