"""Allow ``python -m tracker`` to behave like the ``outreach`` command."""

from tracker.cli import main

if __name__ == "__main__":
    main()
