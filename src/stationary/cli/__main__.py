import sys

from stationary.cli import main

sys.exit(main())
