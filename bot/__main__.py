"""``python -m bot``: the same entry point as the ``storybot`` command."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
