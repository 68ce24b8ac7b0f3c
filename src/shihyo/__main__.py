"""`python -m shihyo …`: the same as the `shihyo` command."""

from shihyo.cli import main

main()
