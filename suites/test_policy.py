"""Deployment policy rows (``--profile``): what the profile forbids the target must refuse,
what it requires the target must accept. See ``tlsconform.policy``."""

import pytest


@pytest.mark.policy
def test_policy(policy, conformance):
    conformance.check_policy(policy)
