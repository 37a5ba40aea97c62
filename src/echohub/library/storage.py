"""Where library files are kept: the "private" storage of settings.STORAGES."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    # A callable, so tests and deployments can swap the storage in settings.
    return storages["private"]
