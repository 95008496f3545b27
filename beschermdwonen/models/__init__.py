"""Models of beschermd wonen, one module per topic: ``register`` (clients, residence, notifications, assessments),
``indications``, ``advice`` (advice requests, disagreements), ``replacement``, ``settings`` (the region setting); the
money side adds its own modules. Everything is re-exported here, so callers write ``from beschermdwonen.models
import X``."""

from beschermdwonen.models.advice import *  # noqa: F403
from beschermdwonen.models.billed import *  # noqa: F403
from beschermdwonen.models.charges import *  # noqa: F403
from beschermdwonen.models.execution import *  # noqa: F403
from beschermdwonen.models.indications import *  # noqa: F403
from beschermdwonen.models.money import *  # noqa: F403
from beschermdwonen.models.register import *  # noqa: F403
from beschermdwonen.models.register import _resident_client_ids  # noqa: F401
from beschermdwonen.models.replacement import *  # noqa: F403
from beschermdwonen.models.settings import *  # noqa: F403
