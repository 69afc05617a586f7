"""A submitted proposal of lin's: the fact the duty record tests start from."""

import pytest

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform, save_draft


@pytest.fixture
def proposal(world) -> Proposal:
    draft = save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT))
    return perform(draft, "submit", world.lin)
