"""Fixtures for testing the fakes themselves."""

from tests.fakes.git_http import git_server  # noqa: F401
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
