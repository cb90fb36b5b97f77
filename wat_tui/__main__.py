from wat_tui.cli import main

raise SystemExit(main())
