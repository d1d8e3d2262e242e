from django.db import models  # noqa: F401

from reporting.models_flags import FlagDecision, FlagReview, RuleSetting  # noqa: F401
from reporting.models_packs import Pack, PackKind, PackSignificance, PackStatus  # noqa: F401
