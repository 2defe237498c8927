from . import kam_handover_wizard
from . import kam_tier_lock_wizard
from . import kam_discount_approval_wizard
