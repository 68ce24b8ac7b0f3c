"""The public dashboard: overview, indicator pages, roadmap, organisation and the summary table."""
