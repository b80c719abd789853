"""Where the project's data folders are: the source tree, or the share/ folder of an install.

The lexicons (``data/``) and the ontology (``ontology/``) sit beside the package in the
repository, as the project's layout asks; a wheel installs them under ``<prefix>/share/policykg``.
"""
from __future__ import annotations

import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[1]
_INSTALLED_ROOT = Path(sys.prefix) / "share" / "policykg"


def resource_dir(name: str) -> Path:
    """``data`` or ``ontology``: the source tree's copy if there is one, else the installed one."""
    here = _SOURCE_ROOT / name
    return here if here.is_dir() else _INSTALLED_ROOT / name
