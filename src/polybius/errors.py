"""Every message Polybius shows a user, each with a stable code (as in spaCy's errors.py).

Batch runs report these as values, one line per bad input, and go on; the
single-article API raises them.
"""

from __future__ import annotations


class Errors:
    E001 = "input is empty"
    E002 = "input looks binary (NUL bytes in the first {n} bytes), not text"
    E003 = "input is not valid UTF-8 (bad byte 0x{byte:02x} at offset {offset})"
    E004 = "input is {size:,} bytes of text, over the {limit:,}-byte limit"
    E005 = "line is not valid JSON ({detail})"
    E006 = "record has no 'text' string"
    E007 = "text looks like {language!r}, not English (English stop-word ratio {ratio:.2f})"
    E008 = "no main text could be extracted from the HTML"
    E009 = "date {value!r} is not a YYYY-MM-DD date"
    E010 = "no such file or directory"
    E011 = "unsupported file type {suffix!r}: expected .txt, .html, .htm, .jsonl or .parquet"
    E012 = "record is not a JSON object"
    E013 = "unknown pipeline stage {name!r}; registered stages: {known}"
    E014 = "cannot read input ({detail})"
    E015 = "the pipeline failed on this article ({detail})"
    E016 = "{feature} needs the optional package {package!r}: pip install 'polybius[{extra}]'"
    E017 = "not a readable Parquet file ({detail})"
    E018 = "the {engine} engine cannot read {what}: give .jsonl or .parquet files or directories of them"
    E019 = "--workers must be at least 1, got {workers}"
    E020 = "a worker process died ({detail}); the run stopped after the articles already written"
    E021 = "the output folder already holds Parquet shards (part-*.parquet): choose an empty folder"
    E022 = "--format parquet writes shards to a folder: give one with -o DIR"
    E023 = "the Ray job failed ({detail})"


class PolybiusError(Exception):
    """Base class: `code` is the stable error code, `str()` is the user-facing line."""

    def __init__(self, code: str, source: str, **details: object) -> None:
        self.code = code
        self.source = source
        self.reason = getattr(Errors, code).format(**details)
        super().__init__(f"{source}: {self.reason} [{code}]")

    def __reduce__(self):
        # Errors cross process boundaries (worker pools, Ray actors): rebuild from the formatted reason.
        return _restore, (type(self), self.code, self.source, self.reason)


def _restore(cls: type[PolybiusError], code: str, source: str, reason: str) -> PolybiusError:
    error = cls.__new__(cls)
    error.code, error.source, error.reason = code, source, reason
    Exception.__init__(error, f"{source}: {reason} [{code}]")
    return error


class InputError(PolybiusError):
    """An input (file, line or record) that cannot be coded; the rest of a batch goes on."""


class ConfigError(PolybiusError):
    """A pipeline misconfiguration, such as an unknown stage name."""


class EngineError(PolybiusError):
    """An execution engine (process pool, Ray) cannot go on; the articles already yielded stand."""
