"""`python -m kpi.cli`: the same as the `jobkpi` command."""

import sys

from kpi.cli.commands import main

sys.exit(main())
