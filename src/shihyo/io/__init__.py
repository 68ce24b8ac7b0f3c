"""Reading and writing programmes: definitions (YAML) and observations (CSV)."""
