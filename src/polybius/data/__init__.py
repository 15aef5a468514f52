"""Language and knowledge data shipped with Polybius, kept as data files (see SOURCES.md)."""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any

import yaml


def data_path(name: str):
    return resources.files(__name__).joinpath(name)


def load_yaml(name: str) -> Any:
    with data_path(name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_csv(name: str) -> list[dict[str, str]]:
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
