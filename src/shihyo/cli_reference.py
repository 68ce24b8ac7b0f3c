"""The CLI reference in Markdown, generated from the commands themselves (kept in the README)."""

from __future__ import annotations

from typing import Any

import typer

from shihyo.cli import app

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"


def _param_row(param: Any) -> str:
    """One parameter of a command (typer ships its own click, so this reads attributes, not types)."""
    help_text = (getattr(param, "help", "") or "").strip()
    if param.param_type_name == "argument":
        return f"| `{param.name.upper()}` | argument | {help_text} |"
    names = ", ".join(f"`{n}`" for n in param.opts)
    value = getattr(param.default, "value", param.default)
    default = "" if value in (None, False, (), "") or param.is_flag else f" (default: `{value}`)"
    return f"| {names} | option | {help_text}{default} |"


def render() -> str:
    group: Any = typer.main.get_command(app)
    lines = [START, "", "| command | what it does |", "|---|---|"]
    commands: dict[str, Any] = {}
    for name, command in group.commands.items():  # groups (shihyo user add …) are listed command by command
        for sub_name, sub in getattr(command, "commands", {name: command}).items():
            commands[name if sub is command else f"{name} {sub_name}"] = sub
    for name, command in commands.items():
        lines.append(f"| `shihyo {name}` | {(command.help or '').splitlines()[0]} |")
    for name, command in commands.items():
        lines += ["", f"#### `shihyo {name}`", "", (command.help or "").strip(), ""]
        params = [p for p in command.params if p.name != "help"]
        if params:
            lines += ["| name | kind | meaning |", "|---|---|---|", *(_param_row(p) for p in params)]
    lines += ["", END]
    return "\n".join(lines)


def replace_in(text: str) -> str:
    """`text` with the block between the markers replaced by the current reference."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + render() + tail


if __name__ == "__main__":  # pragma: no cover
    from pathlib import Path

    readme = Path("README.md")
    readme.write_text(replace_in(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md: CLI reference updated")
