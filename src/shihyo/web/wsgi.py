"""WSGI entry point (waitress serves it in `shihyo serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
application = get_wsgi_application()
