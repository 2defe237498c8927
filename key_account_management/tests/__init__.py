from . import test_kam_security
from . import test_kam_revenue
from . import test_kam_tier
from . import test_kam_ui
from . import test_kam_tier_history
from . import test_kam_digest
from . import test_kam_scoring
from . import test_kam_scoring_ui
