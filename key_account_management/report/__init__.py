
from . import kam_pareto_report
