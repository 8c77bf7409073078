"""A small interpreter for the subset of GRUB script that ``render_grub_cfg`` emits (test helper).

Commands: ``set``, ``if``/``elif``/``fi``, ``for ... in ...; do ... done``, ``[ -z X ]`` and ``[ X = Y ]``,
``true``; ``load_env``/``save_env`` read and write the given dict; everything else (``linux``, ``echo``,
``regexp``, ``boot``, ...) is recorded. Unknown syntax raises, so the test fails if the script grows past it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_VAR = re.compile(r"\$(\w+)|\$\{(\w+)\}")


@dataclass
class Run:
    """What one execution saw and did."""

    env_file: dict[str, str]
    vars: dict[str, str] = field(default_factory=dict)
    commands: list[list[str]] = field(default_factory=list)


def _statements(script: str) -> list[list[str]]:
    """Split into statements at newlines and at ``;`` outside single quotes; ``then X`` becomes two."""
    out: list[list[str]] = []
    for line in script.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for part in re.split(r";(?=(?:[^']*'[^']*')*[^']*$)", line):
            words = shlex.split(part, posix=True)
            while words:
                if words[0] in ("then", "do", "else") and len(words) > 1:
                    out.append(words[:1])
                    words = words[1:]
                    continue
                out.append(words)
                break
    return out


class Interpreter:
    """Run the statements against a ``Run``."""

    def __init__(self, script: str) -> None:
        self.stmts = _statements(script)

    def run(self, env_file: dict[str, str]) -> Run:
        state = Run(env_file=dict(env_file))
        pos = self._block(0, state, execute=True, stop=())
        if pos != len(self.stmts):
            raise SyntaxError(f"unexpected {self.stmts[pos]}")
        return state

    def _expand(self, word: str, state: Run) -> str:
        return _VAR.sub(lambda m: state.vars.get(m.group(1) or m.group(2), ""), word)

    def _test(self, words: list[str], state: Run) -> bool:
        if words == ["true"]:
            return True
        if words[0] != "[" or words[-1] != "]":
            raise SyntaxError(f"unsupported condition {words}")
        inner = [self._expand(w, state) for w in words[1:-1]]
        if len(inner) == 2 and inner[0] == "-z":
            return inner[1] == ""
        if len(inner) == 3 and inner[1] == "=":
            return inner[0] == inner[2]
        raise SyntaxError(f"unsupported test {words}")

    def _block(self, pos: int, state: Run, execute: bool, stop: tuple[str, ...]) -> int:
        while pos < len(self.stmts):
            words = self.stmts[pos]
            head = words[0]
            if head in stop:
                return pos
            if head == "if":
                pos = self._if(pos, state, execute)
                continue
            if head == "for":
                pos = self._for(pos, state, execute)
                continue
            if execute:
                self._command(words, state)
            pos += 1
        return pos

    def _if(self, pos: int, state: Run, execute: bool) -> int:
        taken = False
        while True:
            words = self.stmts[pos]
            if words[0] in ("if", "elif"):
                cond = self._test(words[1:], state) if execute and not taken else False
                if self.stmts[pos + 1] != ["then"]:
                    raise SyntaxError(f"expected then after {words}")
                pos = self._block(pos + 2, state, execute and cond, ("elif", "else", "fi"))
                taken = taken or cond
            elif words[0] == "else":
                pos = self._block(pos + 1, state, execute and not taken, ("fi",))
            elif words[0] == "fi":
                return pos + 1
            else:
                raise SyntaxError(f"unexpected {words}")

    def _for(self, pos: int, state: Run, execute: bool) -> int:
        words = self.stmts[pos]
        if len(words) < 3 or words[2] != "in":
            raise SyntaxError(f"unsupported for {words}")
        items = " ".join(self._expand(w, state) for w in words[3:]).split()
        if self.stmts[pos + 1] != ["do"]:
            raise SyntaxError("expected do")
        start = pos + 2
        end = self._block(start, state, execute=False, stop=("done",))
        for item in items if execute else []:
            state.vars[words[1]] = item
            self._block(start, state, execute=True, stop=("done",))
        return end + 1

    def _command(self, words: list[str], state: Run) -> None:
        words = [self._expand(w, state) for w in words]
        if words[0] == "set":
            name, _, value = words[1].partition("=")
            state.vars[name] = value
        elif words[0] == "load_env":
            for name in words[3:]:
                if name in state.env_file:
                    state.vars[name] = state.env_file[name]
        elif words[0] == "save_env":
            for name in words[3:]:
                state.env_file[name] = state.vars.get(name, "")
        else:
            state.commands.append(words)
