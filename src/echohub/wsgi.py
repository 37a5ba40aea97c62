"""WSGI entry point for gunicorn: `gunicorn echohub.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echohub.settings")
application = get_wsgi_application()
