from . import kam_handover_wizard
from . import kam_tier_lock_wizard
from . import base_partner_merge_automatic_wizard
from . import kam_lifecycle_wizard
from . import kam_snapshot_analysis_wizard
from . import kam_discount_approval_wizard
