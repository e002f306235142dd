"""Write docs/commands.md from the CLI's own --help, so the command reference cannot drift.

    .venv/bin/python scripts/gen_commands.py          # rewrite docs/commands.md
    .venv/bin/python scripts/gen_commands.py --check  # exit 1 if it is out of date (a test runs this)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["COLUMNS"] = "100"  # rich wraps help to the terminal: one width, one text
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from typer.testing import CliRunner  # noqa: E402

from simtool.cli import app  # noqa: E402

TARGET = Path(__file__).resolve().parents[1] / "docs" / "commands.md"
COMMANDS = [[], ["analyze"], ["related"], ["compare"], ["dedup"], ["cluster"], ["drift"], ["clean"], ["embed"],
            ["index"], ["bench"], ["models"], ["models", "distill"]]


def reference() -> str:
    runner = CliRunner()
    parts = ["# Command reference\n\n",
             "Generated from the command line's own `--help` by `scripts/gen_commands.py`; a test fails when\n"
             "this file and the CLI disagree. The [user guide](guide.md) explains what each option does to the\n"
             "results.\n"]
    for words in COMMANDS:
        result = runner.invoke(app, [*words, "--help"], prog_name="simtool", env={"COLUMNS": "100"},
                               terminal_width=100)
        if result.exit_code != 0:
            raise SystemExit(f"simtool {' '.join(words)} --help failed: {result.output}")
        title = " ".join(["simtool", *words])
        help_text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        parts.append(f"\n## `{title}`\n\n```text\n{help_text}\n```\n")
    return "".join(parts)


def main() -> None:
    text = reference()
    if "--check" in sys.argv[1:]:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run python scripts/gen_commands.py", file=sys.stderr)
            raise SystemExit(1)
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
