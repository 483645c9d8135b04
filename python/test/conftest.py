"""The strata package under test is the one built in build/python."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("STRATA_BUILD_DIR", os.path.join(ROOT, "build"))
sys.path.insert(0, os.path.join(BUILD, "python"))
# Every test compiles: the compile cache is off but in test_cache.py.
os.environ["STRATA_CACHE"] = "0"
