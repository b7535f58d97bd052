"""The test tree mirrors the package (families/, formula/, engine/, models/, inference/, report/); the shared
helpers (_glmref.py: the R reference cases) live here, so this folder goes on sys.path for every test module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
