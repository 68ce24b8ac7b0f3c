"""The Django project: storage, and later the dashboard, collection and API apps."""
