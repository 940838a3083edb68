import pytest

from canned_replies.grammalecte_engine import available


@pytest.fixture(scope="session")
def grammalecte() -> None:
    """Skip French proofreading tests on a machine without the Debian Grammalecte package."""
    if not available():
        pytest.skip("French proofreading needs the Debian package python3-grammalecte")
