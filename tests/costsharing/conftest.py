from datetime import date

import pytest

from agreements.models import Mandate
from costsharing.models import CategoryKey
from tests.costsharing.builders import BNO, WM
from tests.costsharing.cycle_helpers import wm_calendar
from tests.invoicing.helpers import profile


@pytest.fixture
def wm(db):
    return WM()


@pytest.fixture
def bno(db):
    return BNO()


@pytest.fixture
def cycle(wm):
    """WM with a calendar, invoicing details and the members' invoicing mandates; every category on 69/19/12."""
    calendar = wm_calendar(wm.region, wm.sg, code="WM-SO-2025")
    for member in (wm.stein, wm.beek):
        Mandate.objects.create(
            agreement=calendar.agreement,
            mandating=member,
            mandated=wm.sg,
            mandated_body="college",
            powers=["invoicing"],
            valid_from=date(2025, 1, 1),
        )
    for m in (wm.sg, wm.stein, wm.beek):
        profile(m)
    CategoryKey.objects.unrestricted().filter(region=wm.region).update(key=wm.key)
    wm.calendar = calendar
    return wm
