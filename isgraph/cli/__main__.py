"""``python -m isgraph.cli``: the command line."""

import sys

from isgraph.cli.main import main

sys.exit(main())
