"""Rules of beschermd wonen, one module per topic (``register``: clients, moves, notifications, assessments,
retention; ``indications``; ``advice``: advice requests, the member's own decision, disagreements; ``replacement``);
the money side adds its own. Re-exported here: callers write ``from beschermdwonen import services``. A test that
patches a function patches the module it lives in."""

from beschermdwonen.services.advice import *  # noqa: F403
from beschermdwonen.services.indications import *  # noqa: F403
from beschermdwonen.services.register import *  # noqa: F403
from beschermdwonen.services.register import REPORT_MAX_BYTES, _check_member  # noqa: F401
from beschermdwonen.services.replacement import *  # noqa: F403
