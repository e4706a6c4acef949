"""`jobkpi`: the command line, one argparse tree (commands, uploads, exports)."""

from kpi.cli.commands import main

__all__ = ["main"]
