import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

application = get_wsgi_application()
# Import every view now, in each worker as it starts, rather than in the first request it serves
# (which would wait about a second while other requests queue behind it).
get_resolver().reverse_dict  # noqa: B018
# What is loaded now lives as long as the worker: keep it out of the garbage collector's full
# passes, which would otherwise stall a request every few thousand for tens of milliseconds.
gc.freeze()
