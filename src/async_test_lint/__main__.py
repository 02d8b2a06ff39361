import sys

from async_test_lint.cli import main

sys.exit(main())
