"""`python -m pipelines` is the same as the `verkstad` command."""

from pipelines.cli import main

main()
