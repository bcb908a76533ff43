from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def triage():
    from classifier import Triage

    return Triage.load()


@pytest.fixture(scope="session")
def seed_text():
    return (FIXTURES / "seed_request.txt").read_text(encoding="utf-8")
