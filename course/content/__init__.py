"""Content: files in the repository turned into validated, immutable course objects."""
