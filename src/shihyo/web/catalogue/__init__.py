"""Storage of programmes: definition revisions and observation revisions, both append-only."""
