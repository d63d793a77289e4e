"""`python -m newsreader` runs the command line."""

import sys

from newsreader.cli import main

sys.exit(main())
