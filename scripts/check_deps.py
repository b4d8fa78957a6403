#!/usr/bin/env python3
"""Fails when a crate depends on what the architecture forbids.

The arrows (ARCHITECTURE.md): `app` (the binary `watchfloor`) depends on
`render`, `media`, `layers`, `console` and `runtime`; `console`
(`watchfloor-console`: panels and i18n, it draws and returns commands) and
`runtime` (`watchfloor-runtime`: threads, feeds, cameras, export and the
writers) each depend on `render`, `media` and `layers`, never on each other;
`render`, `media` and `layers` never depend on each other. Beyond our own
crates, `render` must not pull in GStreamer, ONNX Runtime, sled or sockets'
runtimes; `media` must not pull in egui or wgpu; `layers` must not pull in any
of them; `console` must not pull in eframe or the runtime.

Three kinds of rule:

- internal arrows: direct edges between our crates (`cargo metadata`);
- forbidden direct dependencies: what a crate's own `[dependencies]` may not
  name (`cargo metadata`, dev-dependencies excluded). This is deliberately
  direct, not whole-tree: the console needs the world's types from `layers`,
  and `layers` uses sled for its journal internally, so sled (and whatever
  else `layers` or `media` use inside) is in the console's tree however the
  console is written. What matters is that console code cannot name sled,
  tokio, sockets or eframe (and the runtime cannot name egui or eframe):
  a crate can only `use` what it depends on directly;
- forbidden crates in the tree: third-party crates that must not appear
  anywhere in a crate's normal-dependency tree (`cargo tree`).

    scripts/check_deps.py             check the workspace
    scripts/check_deps.py --self-test prove the check fails on violations
"""

import json
import subprocess
import sys

OURS = {
    "watchfloor", "watchfloor-render", "watchfloor-media", "watchfloor-layers",
    "watchfloor-console", "watchfloor-runtime",
}

LEAVES = {"watchfloor-render", "watchfloor-media", "watchfloor-layers"}

# crate -> our crates it may depend on
ALLOWED_INTERNAL = {
    "watchfloor": LEAVES | {"watchfloor-console", "watchfloor-runtime"},
    "watchfloor-console": set(LEAVES),  # never the runtime
    "watchfloor-runtime": set(LEAVES),  # never the console
    "watchfloor-render": set(),
    "watchfloor-media": set(),
    "watchfloor-layers": set(),
}

CONSOLE_ONLY_DRAWS = "the console only draws and returns commands"
RUNTIME_NEVER_DRAWS = "the runtime runs the work and prepares what is shown"

# crate -> {crate its own [dependencies] must not name: why}
FORBIDDEN_DIRECT = {
    "watchfloor-console": {
        "watchfloor-runtime": f"{CONSOLE_ONLY_DRAWS}; the app hands it what watchfloor-runtime prepared",
        "eframe": f"{CONSOLE_ONLY_DRAWS}; the window and its event loop belong to the app (watchfloor)",
        "tokio": f"{CONSOLE_ONLY_DRAWS}; sockets and threads belong to watchfloor-runtime",
        "async-nats": f"{CONSOLE_ONLY_DRAWS}; sockets and threads belong to watchfloor-runtime",
        "rumqttc": f"{CONSOLE_ONLY_DRAWS}; sockets and threads belong to watchfloor-runtime",
        "sled": f"{CONSOLE_ONLY_DRAWS}; the journal's storage belongs to watchfloor-layers and its writers to watchfloor-runtime",
    },
    "watchfloor-runtime": {
        "watchfloor-console": f"{RUNTIME_NEVER_DRAWS}; the panels belong to watchfloor-console",
        "egui": f"{RUNTIME_NEVER_DRAWS}; drawing belongs to watchfloor-console",
        "eframe": f"{RUNTIME_NEVER_DRAWS}; the window belongs to the app (watchfloor)",
    },
}

# crate -> crates that must not appear anywhere in its normal tree
FORBIDDEN_EXTERNAL = {
    "watchfloor-render": {"gstreamer", "ort", "sled", "tokio", "rstar"},
    "watchfloor-media": {"egui", "eframe", "wgpu", "sled", "rstar"},
    "watchfloor-layers": {"egui", "eframe", "wgpu", "gstreamer", "ort"},
    # Ours and third-party: not even through another crate.
    "watchfloor-console": {"eframe", "watchfloor-runtime"},
}

# crate -> why its tree rule exists (default: another layer's stack)
TREE_REASON = {
    "watchfloor-console": f"{CONSOLE_ONLY_DRAWS}; the window belongs to the app and the work to watchfloor-runtime",
}


def allowed_words(name):
    allowed = sorted(ALLOWED_INTERNAL[name])
    return f"{name} may depend only on {', '.join(allowed)}" if allowed else f"{name} may depend on none of our crates"


def internal_violations(metadata):
    """Edges between our crates that the arrows do not allow."""
    problems = []
    for pkg in metadata["packages"]:
        name = pkg["name"]
        if name not in OURS:
            continue
        for dep in pkg["dependencies"]:
            if dep.get("kind") == "dev":
                continue  # tests may use anything
            target = dep["name"]
            if target in OURS and target not in ALLOWED_INTERNAL[name]:
                problems.append(
                    f"{name} depends on {target} (internal arrows): {allowed_words(name)}")
    return problems


def direct_violations(metadata):
    """Crates a crate's own non-dev [dependencies] must not name."""
    problems = []
    for pkg in metadata["packages"]:
        name = pkg["name"]
        forbidden = FORBIDDEN_DIRECT.get(name, {})
        for dep in pkg["dependencies"]:
            if dep.get("kind") == "dev":
                continue  # tests may use anything
            target = dep["name"]  # the package, even when renamed in Cargo.toml
            if target in forbidden:
                problems.append(f"{name} depends directly on {target}: {forbidden[target]}")
    return problems


def missing_crates(metadata):
    """Crates the rules name that the workspace does not have: a renamed crate must not pass unchecked."""
    present = {pkg["name"] for pkg in metadata["packages"]}
    return [f"{name} is not in the workspace: the dependency rules name it (rename it in scripts/check_deps.py too)"
            for name in sorted(OURS - present)]


def external_violations(trees):
    """`trees` maps crate -> set of crate names in its normal dependency tree."""
    problems = []
    for name, forbidden in FORBIDDEN_EXTERNAL.items():
        reason = TREE_REASON.get(name, "it belongs to another layer")
        for bad in sorted(trees.get(name, set()) & forbidden):
            problems.append(f"{name} pulls in {bad} (anywhere in its tree): {reason}")
    return problems


def cargo_tree(package):
    out = subprocess.run(
        ["cargo", "tree", "--quiet", "-p", package, "-e", "normal", "--prefix", "none", "--format", "{p}"],
        check=True, capture_output=True, text=True,
    ).stdout
    return {line.split(" ")[0] for line in out.splitlines() if line.strip()}


def check_workspace():
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        check=True, capture_output=True, text=True,
    ).stdout)
    missing = missing_crates(metadata)
    if missing:
        return missing  # `cargo tree -p` would fail on them
    trees = {name: cargo_tree(name) for name in FORBIDDEN_EXTERNAL}
    return internal_violations(metadata) + direct_violations(metadata) + external_violations(trees)


def dep(name, kind=None, rename=None):
    return {"name": name, "kind": kind, "rename": rename}


def clean_workspace():
    """The intended workspace: every rule passes on it."""
    leaves = [dep("watchfloor-render"), dep("watchfloor-media"), dep("watchfloor-layers")]
    return {"packages": [
        {"name": "watchfloor", "dependencies": leaves + [
            dep("watchfloor-console"), dep("watchfloor-runtime"),
            dep("eframe"), dep("egui"), dep("tokio"), dep("sled"), dep("egui_kittest", "dev")]},
        {"name": "watchfloor-console", "dependencies": leaves + [
            dep("egui"), dep("serde"), dep("chrono"),
            # tests may use anything, our crates included
            dep("egui_kittest", "dev"), dep("watchfloor-runtime", "dev"), dep("tokio", "dev")]},
        {"name": "watchfloor-runtime", "dependencies": leaves + [
            dep("tokio"), dep("mavlink"), dep("sha2"), dep("egui", "dev")]},
        {"name": "watchfloor-render", "dependencies": [dep("wgpu"), dep("egui")]},
        {"name": "watchfloor-media", "dependencies": [dep("gstreamer"), dep("ort")]},
        {"name": "watchfloor-layers", "dependencies": [dep("sled"), dep("rstar")]},
        {"name": "tokio", "dependencies": [dep("mio")]},  # not ours: never checked
    ]}


def with_dep(metadata, crate, extra):
    """A copy of `metadata` in which `crate` also has dependency `extra`."""
    return {"packages": [
        {**pkg, "dependencies": pkg["dependencies"] + ([extra] if pkg["name"] == crate else [])}
        for pkg in metadata["packages"]
    ]}


def self_test():
    """Each rule passes on the intended workspace and fails, naming crate and dependency, when broken."""
    assert set(ALLOWED_INTERNAL) == OURS, "every crate of ours has its arrows"
    assert set(FORBIDDEN_DIRECT) | set(FORBIDDEN_EXTERNAL) <= OURS
    # The rules themselves: weakening one must change this test too.
    assert set(FORBIDDEN_DIRECT["watchfloor-console"]) == {
        "watchfloor-runtime", "eframe", "tokio", "sled", "async-nats", "rumqttc"}
    assert set(FORBIDDEN_DIRECT["watchfloor-runtime"]) == {"watchfloor-console", "egui", "eframe"}
    assert FORBIDDEN_EXTERNAL["watchfloor-console"] == {"eframe", "watchfloor-runtime"}
    assert "watchfloor-runtime" not in ALLOWED_INTERNAL["watchfloor-console"]
    assert "watchfloor-console" not in ALLOWED_INTERNAL["watchfloor-runtime"]

    # The existing arrows: render -> media is caught, a dev edge and app -> media are not.
    fake = {"packages": [
        {"name": "watchfloor-render", "dependencies": [{"name": "watchfloor-media", "kind": None}]},
        {"name": "watchfloor-layers", "dependencies": [{"name": "watchfloor-render", "kind": "dev"}]},
        {"name": "watchfloor", "dependencies": [{"name": "watchfloor-media", "kind": None}]},
    ]}
    internal = internal_violations(fake)
    assert internal == ["watchfloor-render depends on watchfloor-media (internal arrows): "
                        "watchfloor-render may depend on none of our crates"], internal
    external = external_violations({"watchfloor-media": {"gstreamer", "wgpu"}, "watchfloor-render": {"wgpu"}})
    assert external == ["watchfloor-media pulls in wgpu (anywhere in its tree): it belongs to another layer"], external

    # A clean workspace passes every rule.
    clean = clean_workspace()
    assert missing_crates(clean) == [], missing_crates(clean)
    assert internal_violations(clean) == [], internal_violations(clean)
    assert direct_violations(clean) == [], direct_violations(clean)
    # sled and tokio reach the console through layers and media; that is allowed.
    clean_trees = {
        "watchfloor-render": {"watchfloor-render", "wgpu", "egui"},
        "watchfloor-media": {"watchfloor-media", "gstreamer", "ort"},
        "watchfloor-layers": {"watchfloor-layers", "sled", "rstar"},
        "watchfloor-console": {"watchfloor-console", "watchfloor-layers", "watchfloor-media",
                               "watchfloor-render", "egui", "sled", "tokio", "gstreamer", "wgpu"},
    }
    assert external_violations(clean_trees) == [], external_violations(clean_trees)

    # Internal arrows: console and runtime never depend on each other, the leaves on neither.
    for crate, target in [("watchfloor-console", "watchfloor-runtime"), ("watchfloor-runtime", "watchfloor-console"),
                          ("watchfloor-layers", "watchfloor-console"), ("watchfloor-media", "watchfloor-runtime")]:
        found = internal_violations(with_dep(clean, crate, dep(target)))
        assert found == [f"{crate} depends on {target} (internal arrows): {allowed_words(crate)}"], found
    found = internal_violations(with_dep(clean, "watchfloor-console", dep("watchfloor-runtime")))
    assert found == ["watchfloor-console depends on watchfloor-runtime (internal arrows): watchfloor-console may "
                     "depend only on watchfloor-layers, watchfloor-media, watchfloor-render"], found

    # Forbidden direct dependencies: every one is caught, as a normal, build or renamed dependency.
    for crate, forbidden in FORBIDDEN_DIRECT.items():
        for target, reason in forbidden.items():
            for broken in (dep(target), dep(target, "build"), dep(target, rename="renamed")):
                found = direct_violations(with_dep(clean, crate, broken))
                assert found == [f"{crate} depends directly on {target}: {reason}"], (broken, found)
    found = direct_violations(with_dep(clean, "watchfloor-console", dep("tokio")))
    assert found == ["watchfloor-console depends directly on tokio: the console only draws and returns "
                     "commands; sockets and threads belong to watchfloor-runtime"], found
    # ...but not as a dev-dependency, and not for a crate the rule does not name.
    assert direct_violations(with_dep(clean, "watchfloor-runtime", dep("eframe", "dev"))) == []
    assert direct_violations(with_dep(clean, "watchfloor", dep("rumqttc"))) == []

    # Forbidden in the tree: the console pulling in eframe or the runtime, by any path.
    for bad in ("eframe", "watchfloor-runtime"):
        trees = {**clean_trees, "watchfloor-console": clean_trees["watchfloor-console"] | {bad}}
        found = external_violations(trees)
        assert found == [f"watchfloor-console pulls in {bad} (anywhere in its tree): "
                         f"{TREE_REASON['watchfloor-console']}"], found

    # A crate renamed away is named, not silently unchecked.
    renamed = {"packages": [p for p in clean["packages"] if p["name"] != "watchfloor-runtime"]}
    assert missing_crates(renamed) == ["watchfloor-runtime is not in the workspace: the dependency rules "
                                       "name it (rename it in scripts/check_deps.py too)"], missing_crates(renamed)

    print("check_deps self-test: violations are caught (internal arrows, forbidden direct dependencies, "
          "forbidden crates in the tree); the intended workspace passes")


def main():
    if "--self-test" in sys.argv:
        self_test()
        return 0
    problems = check_workspace()
    for p in problems:
        print(f"dependency rule broken: {p}", file=sys.stderr)
    if problems:
        return 1
    print("dependency arrows: ok (app -> render, media, layers, console, runtime; console and runtime -> "
          "render, media, layers, never each other; no edges between those three; forbidden direct "
          "dependencies and tree crates absent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
