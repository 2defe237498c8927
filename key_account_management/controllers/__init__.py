from . import portal
from . import sale_portal
