#!/usr/bin/env python3
"""Fails when a crate depends on what the architecture forbids.

The arrows (ARCHITECTURE.md): `app` depends on `render`, `media` and `layers`;
those three never depend on each other. Beyond our own crates, `render` must
not pull in GStreamer, ONNX Runtime, sled or sockets' runtimes; `media` must not
pull in egui or wgpu; `layers` must not pull in any of them.

Direct workspace edges come from `cargo metadata`; forbidden third-party crates
are looked for in each crate's whole normal-dependency tree (`cargo tree`).

    scripts/check_deps.py             check the workspace
    scripts/check_deps.py --self-test prove the check fails on violations
"""

import json
import subprocess
import sys

OURS = {"watchfloor", "watchfloor-render", "watchfloor-media", "watchfloor-layers"}

# crate -> our crates it may depend on
ALLOWED_INTERNAL = {
    "watchfloor": {"watchfloor-render", "watchfloor-media", "watchfloor-layers"},
    "watchfloor-render": set(),
    "watchfloor-media": set(),
    "watchfloor-layers": set(),
}

# crate -> third-party crates that must not appear anywhere in its tree
FORBIDDEN_EXTERNAL = {
    "watchfloor-render": {"gstreamer", "ort", "sled", "tokio", "rstar"},
    "watchfloor-media": {"egui", "eframe", "wgpu", "sled", "rstar"},
    "watchfloor-layers": {"egui", "eframe", "wgpu", "gstreamer", "ort"},
}


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
                problems.append(f"{name} depends on {target}: only app may depend on our other crates")
    return problems


def external_violations(trees):
    """`trees` maps crate -> set of crate names in its normal dependency tree."""
    problems = []
    for name, forbidden in FORBIDDEN_EXTERNAL.items():
        for bad in sorted(trees.get(name, set()) & forbidden):
            problems.append(f"{name} pulls in {bad}, which belongs to another layer")
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
    trees = {name: cargo_tree(name) for name in FORBIDDEN_EXTERNAL}
    return internal_violations(metadata) + external_violations(trees)


def self_test():
    """A render -> media edge and a media -> wgpu pull must both be caught."""
    fake = {"packages": [
        {"name": "watchfloor-render", "dependencies": [{"name": "watchfloor-media", "kind": None}]},
        {"name": "watchfloor-layers", "dependencies": [{"name": "watchfloor-render", "kind": "dev"}]},
        {"name": "watchfloor", "dependencies": [{"name": "watchfloor-media", "kind": None}]},
    ]}
    internal = internal_violations(fake)
    assert internal == ["watchfloor-render depends on watchfloor-media: only app may depend on our other crates"], internal
    external = external_violations({"watchfloor-media": {"gstreamer", "wgpu"}, "watchfloor-render": {"wgpu"}})
    assert external == ["watchfloor-media pulls in wgpu, which belongs to another layer"], external
    print("check_deps self-test: violations are caught")


def main():
    if "--self-test" in sys.argv:
        self_test()
        return 0
    problems = check_workspace()
    for p in problems:
        print(f"dependency rule broken: {p}", file=sys.stderr)
    if problems:
        return 1
    print("dependency arrows: ok (app -> render, media, layers; no edges between those three)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
