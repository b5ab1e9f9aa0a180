"""`python -m case_reviews_cli ...`: the same as `case-reviews ...`."""

from __future__ import annotations

import sys

from case_reviews_cli.app import main

sys.exit(main())
