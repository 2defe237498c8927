from . import kam_tier
from . import kam_tier_history
from . import kam_team_member
from . import kam_revenue
from . import res_company
from . import res_partner
from . import res_config_settings
