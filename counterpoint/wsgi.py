from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "counterpoint.settings")
application = get_wsgi_application()

from counterpoint.operations.warm import warm_process  # noqa: E402 - needs the apps loaded above

warm_process()  # each worker, as it starts: every view and template loaded, the heap frozen
