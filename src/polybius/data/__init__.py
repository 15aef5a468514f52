"""Language and knowledge data shipped with Polybius, kept as data files (see SOURCES.md)."""

from __future__ import annotations

import csv
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml


def data_path(name: str):
    return resources.files(__name__).joinpath(name)


def read_yaml(path: Path | Traversable) -> Any:
    """A YAML file (ours or a user KB's), with the C loader when PyYAML has it."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_yaml(name: str) -> Any:
    return read_yaml(data_path(name))


def load_csv(name: str) -> list[dict[str, str]]:
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
