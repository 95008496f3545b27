import pytest

from tests.costsharing.builders import BNO, WM


@pytest.fixture
def wm(db):
    return WM()


@pytest.fixture
def bno(db):
    return BNO()
