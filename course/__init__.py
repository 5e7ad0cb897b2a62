"""Service, Not Spectacle: a course on social media for civil servants."""
