"""The `echohub` command: Django's management commands with EchoHub's settings.

`echohub migrate`, `echohub demo`, `echohub runserver`… are the same as
`manage.py …`; `echohub serve` runs the production server (gunicorn).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echohub.settings")
    if len(argv) > 1 and argv[1] == "serve":
        serve(argv[2:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def serve(extra: list[str]) -> None:
    """Run gunicorn bound to $PORT (default 8000) with one worker per core plus one."""
    from gunicorn.app.wsgiapp import run

    workers = str((os.cpu_count() or 1) + 1)
    bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
    sys.argv = ["gunicorn", "--bind", bind, "--workers", workers, *extra, "echohub.wsgi"]
    run()


if __name__ == "__main__":
    main()
