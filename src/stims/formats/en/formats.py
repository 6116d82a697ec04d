# English keeps the department's dd/mm/yyyy dates and dot-grouped numbers: one set of formats.
from stims.formats.vi.formats import *  # noqa: F403
