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
    # E015-E023: the engines (scale.py, scale_ray.py) and Parquet input/output
    E015 = "the pipeline failed on this article ({detail})"
    E016 = "{feature} needs the optional package {package!r}: pip install 'polybius[{extra}]'"
    E017 = "not a readable Parquet file ({detail})"
    E018 = "the {engine} engine cannot read {what}: give .jsonl or .parquet files or directories of them"
    E019 = "--workers must be at least 1, got {workers}"
    E020 = "a worker process died ({detail}); the run stopped after the articles already written"
    E021 = "the output folder already holds Parquet shards (part-*.parquet): choose an empty folder"
    E022 = "--format parquet writes shards to a folder: give one with -o DIR"
    E023 = "the Ray job failed ({detail})"
    E024 = "--resume needs the local engine: the Ray engine reads its shards on the cluster"
    # E1xx: the event store (store.py, query.py, export.py)
    E100 = "the store is locked by another process; wait for it to finish ({detail})"
    E101 = "not a readable DuckDB database: corrupt, truncated or not a database file ({detail})"
    E102 = "the store has schema version {found}, newer than this Polybius reads (up to {supported}); upgrade Polybius"
    E103 = "a DuckDB database without a Polybius schema (tables: {tables}); refusing to write into it"
    E104 = "no store here; create one with `polybius code ... --db FILE`"
    E105 = "cannot use the store ({detail})"
    E106 = (
        "the store has schema version {found} and needs {supported}: open it once writable to upgrade it "
        "(`polybius query --db FILE` does), not read-only"
    )
    E107 = "--dyad must be SOURCE:TARGET actor codes, got {value!r}"
    E108 = "Parquet is binary: give an output file with -o"
    E109 = "--resume needs --db: it skips the articles already in that store"
    # E2xx: the web explorer (serve.py, explore.py)
    E200 = "the explorer only reads: {method} is not allowed (use GET)"
    E201 = "request of {size:,} bytes is over the {limit:,}-byte limit"
    E202 = "query string of {size:,} bytes is over the {limit:,}-byte limit"
    E203 = "no article with id {article_id!r} in the store"
    E204 = "{host} is not a loopback address: anyone who can reach it can read the whole store"


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


class StoreError(PolybiusError):
    """The event store cannot be opened, read or written; nothing was changed by the failed step."""


class ConfigError(PolybiusError):
    """A pipeline misconfiguration, such as an unknown stage name."""


class EngineError(PolybiusError):
    """An execution engine (process pool, Ray) cannot go on; the articles already yielded stand."""


class RequestError(PolybiusError):
    """A web explorer request that is refused: a write method, an oversized request, an unknown article."""
