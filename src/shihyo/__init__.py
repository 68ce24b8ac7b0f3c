"""shihyo (指標): run a public reform roadmap by its numbers."""

__version__ = "0.2.0"
