"""Open data pages and files: every published series and indicator as CSV and JSON, a bulk ZIP and a DCAT
catalogue, at stable addresses under /opendata/<programme>/."""
