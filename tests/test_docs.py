"""Docs are checked by tests: every CLI command and option is documented."""

import click
import typer.main

from polybius.cli import app
from tests.conftest import ROOT


def commands(group: click.Group, prefix: str = "polybius"):
    """Every leaf command with its full name, walking sub-groups ("polybius kb import")."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_every_cli_command_and_option_is_documented():
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    found = list(commands(typer.main.get_command(app)))
    assert len(found) >= 4
    for name, command in found:
        assert name in docs, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(opt in docs for opt in param.opts), (name, param.opts)


def test_readme_has_the_two_commands_and_the_api():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme and "polybius.code(" in readme
