"""Fixtures for the GitLab client: the stateful fake held to GitLab's OpenAPI subset."""

from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
