from . import kam_visit_compliance_report
from . import kam_pareto_report
from . import sale_report
from . import kam_care_report
from . import kam_tier_migration_report
from . import kam_service_report
from . import kam_pareto_curve
from . import kam_account_review
