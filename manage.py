#!/usr/bin/env python
"""Django's manage.py, for those who expect it; `echohub` is the same command."""

from echohub.cli import main

if __name__ == "__main__":
    main()
