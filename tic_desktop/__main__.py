from tic_desktop.cli import main

raise SystemExit(main())
