"""PyInstaller's entry script: the same entry point as the `tic-desktop` console script."""

import sys

from tic_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
