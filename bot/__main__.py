"""``python -m bot`` is the ``renewal-bot`` command."""
from bot.cli import main

raise SystemExit(main())
