
from . import kam_visit_compliance_report
