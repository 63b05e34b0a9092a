"""`python -m kurultai ...`: the same command line as the `kurultai` script."""

from kurultai.cli import app

app(prog_name="kurultai")
