#!/usr/bin/env python3
"""Installs the course kernelspec: JJava's kernel jar, started directly on the JDK that built the course, with the
helper jar and its dependencies preloaded, memory bounded and the lessons' imports run at start.

Used by ./course setup and binder/postBuild, so a laptop and Binder get the same kernel.
"""
import argparse
import json
import os
import pathlib
import shutil
import sys

# One JVM holds the kernel, JShell and ND4J. Heap for tables and JShell; ND4J's tensors live off-heap, bounded by
# JavaCPP (maxbytes) and with the whole process's resident size capped (maxphysicalbytes), so the memory guard in
# effconv.MemoryGuard refuses an oversized layer before the OS would kill the kernel.
JVM_OPTS = [
    "-Xmx512m",
    "-XX:+UseSerialGC",
    # Only the quick JIT: kernel start to first result drops from ~3.4 s to ~2.3 s (JShell compiles every cell
    # with javac, which the optimising JIT would otherwise spend a core on), and ND4J's work is native code, so
    # forward passes are as fast or faster on 2 cores (measured with ./course bench).
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
    "-Dorg.bytedeco.javacpp.maxbytes=768m",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=1536m",
    # JJava's evaluator reaches into JShell (its launcher adds the same option)
    "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", default="effconv")
    ap.add_argument("--prefix", required=True, help="the Python environment to install into")
    ap.add_argument("--root", required=True, help="the course folder")
    ap.add_argument("--java", default=shutil.which("java"), help="the java executable (default: java on PATH)")
    a = ap.parse_args()

    root = pathlib.Path(a.root).resolve()
    prefix = pathlib.Path(a.prefix).resolve()
    jjava = prefix / "share" / "jupyter" / "kernels" / "java" / "jjava.jar"
    if not jjava.is_file():
        sys.exit(f"JJava's kernel jar is missing ({jjava}): pip install jjava into {prefix}")
    if not a.java:
        sys.exit("no java executable found: install JDK 17 or newer")
    java = os.path.realpath(a.java)
    logging = root / "kernel" / "logging.properties"
    jar = root / "lib" / "target" / "effconv.jar"
    if not jar.is_file():
        sys.exit(f"the helper jar is missing ({jar}): build lib/ first (./course setup)")

    spec = {
        # JJava's own kernel.json starts a launcher JVM that starts the kernel JVM with $JJAVA_JVM_OPTS; starting
        # the kernel JVM directly gives the same kernel with one JVM instead of two and a JDK we chose.
        "argv": [java, *JVM_OPTS, f"-Djava.util.logging.config.file={logging}", "-jar", str(jjava),
                 "{connection_file}"],
        "display_name": "Java — Efficient Convolutions",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "EFFCONV_HOME": str(root),
            "JJAVA_CLASSPATH": f"{jar}:{root / 'lib' / 'target' / 'deps'}/*",
            "JJAVA_STARTUP_SCRIPTS_PATH": str(root / "kernel" / "startup.jshell"),
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", str(os.cpu_count() or 2)),
        },
        "metadata": {"course": "Efficient Convolutions"},
    }
    target = prefix / "share" / "jupyter" / "kernels" / a.name
    target.mkdir(parents=True, exist_ok=True)
    path = target / "kernel.json"
    text = json.dumps(spec, indent=2) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
        print(f"installed kernelspec '{a.name}' into {target}", file=sys.stderr)

    # plotly.js for the interactive charts (npm ci in kernel/plotly put it there): JupyterLab serves every file under
    # share/jupyter/labextensions at lab/extensions/…, so the charts load it from the course's own server
    plotly = root / "kernel" / "plotly" / "node_modules" / "plotly.js-dist-min" / "plotly.min.js"
    if not plotly.is_file():
        sys.exit(f"plotly.js is missing ({plotly}): run npm ci in {plotly.parents[2]}")
    static = prefix / "share" / "jupyter" / "labextensions" / "effconv-plotly" / "static"
    static.mkdir(parents=True, exist_ok=True)
    served = static / "plotly.min.js"
    if not served.exists() or served.read_bytes() != plotly.read_bytes():
        shutil.copyfile(plotly, served)
        print(f"installed plotly.js into {static}", file=sys.stderr)


if __name__ == "__main__":
    main()
