#!/usr/bin/env python3
"""Fails when modules of one crate import each other in a circle.

Reads every `crate::a::b` path (in `use` items and in code) in a crate's
`src/`, maps each file to its module (`src/console/wall.rs` -> `console::wall`,
`mod.rs` -> its folder) and each path to the longest module it names, and
looks for strongly connected components (Tarjan). A module may use its own
submodules and its parent freely only when no path leads back; any circle
of two or more modules is reported with its members.

    scripts/check_modules.py app/src [more crate src dirs]
    scripts/check_modules.py --self-test
    scripts/check_modules.py --graph app/src   print the edges
"""

import re
import sys
from pathlib import Path

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PATH = re.compile(r"(?<![A-Za-z0-9_:])((?:crate|super|self)(?:::super)*)::((?:" + IDENT + r"::)*" + IDENT + r"|\{)")
USE_GROUP = re.compile(r"\buse\s+((?:crate|super|self)(?:::super)*)::\{([^;]*)\};", re.S)
CHILD_USE = re.compile(r"(?<![A-Za-z0-9_:])(" + IDENT + r")::")


def module_of(src, file):
    rel = file.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return "::".join(parts)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def anchor(module, head):
    """The module a path's head (`crate`, `super::super`, `self`) names."""
    parts = module.split("::") if module else []
    if head == "crate":
        return []
    if head.startswith("self"):
        return parts
    return parts[: len(parts) - head.count("super")]


def referenced(text, module=""):
    """Absolute module-ish paths named with `crate::`, `super::`, `self::`
    or a child module's name, groups expanded one level."""
    paths = []
    for m in USE_GROUP.finditer(text):
        base = anchor(module, m.group(1))
        for item in split_group(m.group(2)):
            paths.append("::".join(base + [item]))
    for m in PATH.finditer(text):
        if m.group(2) != "{":
            paths.append("::".join(anchor(module, m.group(1)) + [m.group(2)]))
    for m in CHILD_USE.finditer(text):
        if m.group(1) not in ("crate", "super", "self", "std", "core"):
            paths.append("::".join((module.split("::") if module else []) + [m.group(1)]) + "::?")
    return paths


def split_group(body):
    depth, cur, out = 0, "", []
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    result = []
    for item in out:
        head = item.split("::{")[0].split(" as ")[0].strip()
        result.append(head.replace(" ", ""))
    return result


def graph(src):
    src = Path(src)
    files = sorted(src.rglob("*.rs"))
    modules = {module_of(src, f): f for f in files}
    edges = {m: set() for m in modules}
    for m, f in modules.items():
        text = strip_comments(f.read_text())
        for path in referenced(text, m):
            parts = path.split("::")
            target = None
            for n in range(len(parts), -1, -1):
                cand = "::".join(parts[:n])
                if cand in modules:
                    target = cand
                    break
            if target is None or target == m or path.endswith("::?") and target != path[:-3]:
                continue
            edges[m].add(target)
    return edges


def cycles(edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def self_test():
    import tempfile

    circle = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(circle) == [["a", "b", "c"]], cycles(circle)
    assert cycles({"a": {"b"}, "b": set()}) == []
    plain = [p for p in referenced("use crate::{x::Y, z::{self, W}};\nfn f() { crate::q::r(); }")
             if not p.endswith("::?")]
    assert sorted(plain) == ["q::r", "x::Y", "z"], plain
    assert "console::wall::Wall" in referenced("use super::wall::Wall;", "console::map")
    assert "x::a::B" in referenced("use super::super::a::B;", "x::y::z")
    assert module_of(Path("s"), Path("s/console/mod.rs")) == "console"
    assert module_of(Path("s"), Path("s/console/wall.rs")) == "console::wall"
    with tempfile.TemporaryDirectory() as d:
        src = Path(d)
        # The crate root draws a panel that takes the root's own type: a circle.
        (src / "lib.rs").write_text("mod panel;\npub struct Console;\nfn ui() { panel::show(); }\n")
        (src / "panel.rs").write_text("use super::Console;\npub fn show() {}\n")
        (src / "leaf.rs").write_text("pub fn f() {}\n")
        found = cycles(graph(src))
        assert found == [["", "panel"]], found
        # The panel taking a value from a leaf instead: no circle.
        (src / "panel.rs").write_text("use crate::leaf::f;\npub fn show() { f() }\n")
        assert cycles(graph(src)) == [], cycles(graph(src))
    print("check_modules self-test: ok (a circle through the crate root is found, a chain is not)")


def main(argv):
    if argv[:1] == ["--self-test"]:
        self_test()
        return 0
    show = argv[:1] == ["--graph"]
    dirs = argv[1:] if show else argv
    failed = False
    for d in dirs:
        edges = graph(d)
        if show:
            for m in sorted(edges):
                for t in sorted(edges[m]):
                    print(f"{d}: {m or '<root>'} -> {t or '<root>'}")
        for comp in cycles(edges):
            failed = True
            print(f"{d}: {len(comp)} modules import each other in a circle: {', '.join(comp)}")
    if not failed:
        print(f"check_modules: no import circle in {', '.join(dirs)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
