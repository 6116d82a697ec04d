"""The `stims` console command: Django's management commands with STIMS settings preselected."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    if args[:1] == ["--version"]:  # STIMS's release, not Django's (which `stims version` adds)
        from stims import __version__

        print(f"STIMS {__version__}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["stims", *args])


if __name__ == "__main__":
    main()
