"""The store tests' fixtures (`tests.store.fixtures`)."""

from tests.store.fixtures import store_env  # noqa: F401
