from careleaver_app.cli import main

raise SystemExit(main())
