from . import test_kam_core_checkout
from . import test_kam_core_contacts
from . import test_kam_core_pos
