from django.db import models  # noqa: F401

from reporting.flags.models import FlagDecision, FlagReview, RuleSetting  # noqa: F401
from reporting.packs.models import Pack, PackKind, PackSignificance, PackStatus  # noqa: F401
