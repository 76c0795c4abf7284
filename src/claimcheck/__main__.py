"""``python -m claimcheck``: the same command line as ``claimcheck``."""

from .cli import main

main(prog_name="claimcheck")
