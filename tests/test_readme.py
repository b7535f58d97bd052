"""The README's Python examples run as they stand: every ```python block, in order, in one
namespace, from a temporary working directory (so a block that reads a file by a relative
path fails here) and with warnings shown, not raised."""

import os
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_python_blocks():
    assert len(_python_blocks(README.read_text(encoding="utf-8"))) >= 3


def test_readme_python_blocks_run_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__readme__"}
    for i, block in enumerate(_python_blocks(README.read_text(encoding="utf-8")), 1):
        code = compile(block, f"README.md python block {i}", "exec")
        exec(code, namespace)  # noqa: S102 -- the README's own examples
    assert os.listdir(tmp_path) == []  # the examples write no files
