"""`python -m replyloop.cli ...` runs the `replyloop` command."""

from replyloop.cli import main

raise SystemExit(main())
