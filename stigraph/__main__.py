"""`python -m stigraph` runs the command line."""
from stigraph.cli.main import main

main()
