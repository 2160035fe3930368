#!/usr/bin/env python3
"""Installs the course kernelspec: JJava's kernel jar, started directly on the JDK that built the course, with the
helper jar and its dependencies preloaded, memory bounded and the lessons' imports run at start.

Used by ./course setup and binder/postBuild, so a laptop and Binder get the same kernel.
"""
import argparse
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

# The kernel JVM's options and the helper's classpath are spelt once, in argfiles that every course JVM reads:
# lib/jvm/kernel.args (why each option is there) and lib/target/helper.args (written by the Maven build).
# lib/jvm/run starts the JVM with ND4J's threads set from the CPUs the kernel may use, when it starts (not here).
def jvm_files(root):
    return root / "lib" / "jvm" / "run", root / "lib" / "jvm" / "kernel.args", root / "lib" / "target" / "helper.args"


def helper_args(path):
    """(classpath, other options) of lib/target/helper.args: the classpath becomes JJAVA_CLASSPATH (JJava reads a
    string), the options (the native libraries' folder) go to the kernel JVM itself, which runs the lessons' code."""
    words = [w.replace('"', "") for line in path.read_text().splitlines() if not line.lstrip().startswith("#")
             for w in line.split()]
    if "-cp" not in words or words.index("-cp") + 1 >= len(words):
        sys.exit(f"{path} has no -cp entry: rebuild lib/ (./course setup)")
    at = words.index("-cp")
    return words[at + 1], words[:at] + words[at + 2:]


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
    jar = root / "lib" / "target" / "effconv.jar"
    if not jar.is_file() or not jvm_files(root)[2].is_file():
        sys.exit(f"the helper jar is missing ({jar}): build lib/ first (./course setup)")
    install_kernel(root, prefix, a.name, jjava, os.path.realpath(a.java), jar)
    server_settings(prefix, a.name)
    retire_plotly_folder(prefix)


def kernelspec(root, java, jjava, classes, jar):
    """The kernel.json: the course kernel's JVM started directly (through lib/jvm/run, which sets its threads), the
    helper on JJava's classpath."""
    logging = root / "kernel" / "logging.properties"
    run, options, helper = jvm_files(root)
    classpath, helper_options = helper_args(helper)
    return {
        # JJava's own kernel.json starts a launcher JVM that starts the kernel JVM with $JJAVA_JVM_OPTS; starting
        # the kernel JVM directly gives the same kernel with one JVM instead of two and a JDK we chose. Its main is
        # the kernel module's effconv.kernel.CourseKernel: JJava's JavaKernel with one session id, abort-after-error
        # and a stable language_info (see that class).
        "argv": ["/bin/sh", str(run), java, f"@{options}", *helper_options,
                 f"-Djava.util.logging.config.file={logging}",
                 "-cp", f"{jjava}{os.pathsep}{classes}", "effconv.kernel.CourseKernel", "{connection_file}"],
        "display_name": "Java — Efficient Convolutions",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "EFFCONV_HOME": str(root),
            "JJAVA_CLASSPATH": classpath,
            "JJAVA_STARTUP_SCRIPTS_PATH": str(root / "kernel" / "startup.jshell"),
        },
        "metadata": {"course": "Efficient Convolutions"},
    }


def with_jvm_options(argv, *options):
    """argv with options given to the JVM itself (right after the java executable, before the argfile)."""
    at = argv.index(next(a for a in argv if a.startswith("@"))) if any(a.startswith("@") for a in argv) else 1
    return [*argv[:at], *options, *argv[at:]]


def install_kernel(root, prefix, name, jjava, java, jar):
    """Builds the course kernel, writes its kernel.json and, where it can, a class-data-sharing archive."""
    target = prefix / "share" / "jupyter" / "kernels" / name
    target.mkdir(parents=True, exist_ok=True)
    classes = build_course_kernel(root, jjava, java, target)
    spec = kernelspec(root, java, jjava, classes, jar)
    archive = target / "kernel.jsa"
    if class_archive(prefix, name, spec, archive, [jjava, jar, classes, pathlib.Path(java), *jvm_files(root)]):
        # the JVM maps the classes a lesson needs (JShell, javac, JJava, ND4J's Java side) instead of loading them
        # (a stale archive, after a JDK update, is ignored; its warning would only reach the kernel's log)
        spec["argv"] = with_jvm_options(spec["argv"], f"-XX:SharedArchiveFile={archive}", "-Xlog:cds*=off")
    path = target / "kernel.json"
    text = json.dumps(spec, indent=2) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
        print(f"installed kernelspec '{name}' into {target}", file=sys.stderr)


def retire_plotly_folder(prefix):
    """Earlier set-ups served their own plotly.js from a fake labextension folder; the plotly package's
    jupyterlab-plotly extension draws the charts now, so a folder left from then is removed."""
    old = prefix / "share" / "jupyter" / "labextensions" / "effconv-plotly"
    if old.is_dir():
        shutil.rmtree(old)
        print(f"removed {old} (charts are drawn by jupyterlab-plotly now)", file=sys.stderr)


# The course's JupyterLab (./course lab, Binder): only the course kernel in the Launcher (JJava's plain "Java"
# kernel and ipykernel's Python come with the packages but lack the helper), idle kernels shut down after 15 min so
# that lessons left open do not pile up (each idle kernel takes ~220 MB; Binder gives 1-2 GB), and no news pop-up.
SERVER_CONFIG = {
    "KernelSpecManager": {"allowed_kernelspecs": ["{name}"]},
    "MappingKernelManager": {"default_kernel_name": "{name}", "cull_idle_timeout": 900, "cull_interval": 60,
                             "cull_connected": True, "cull_busy": False},
}
LAB_SETTINGS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def server_settings(prefix, name):
    """Merges SERVER_CONFIG into the environment's jupyter_server_config.json (the server reads .d folders only for
    its extensions) and writes LAB_SETTINGS as JupyterLab's overrides, where a JupyterLab started from this
    environment reads them."""
    config = json.loads(json.dumps(SERVER_CONFIG).replace("{name}", name))
    server = prefix / "etc" / "jupyter" / "jupyter_server_config.json"
    merged = json.loads(server.read_text()) if server.is_file() else {}
    for section, values in config.items():
        merged.setdefault(section, {}).update(values)
    for path, content in {server: merged,
                          prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json": LAB_SETTINGS}.items():
        text = json.dumps(content, indent=2) + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"installed {path}", file=sys.stderr)


def build_course_kernel(root, jjava, java, target):
    """Builds the kernel module (kernel/, Maven) against the installed jjava.jar, the one the kernel runs, and puts
    its jar in the kernelspec's folder (a jar, not a folder: the class-data-sharing archive accepts only jars);
    rebuilt when the module's sources, JJava's jar or the JDK change. Its tests run in ./course test."""
    module = root / "kernel"
    jar = target / "course-kernel.jar"
    stamp = target / "course-kernel.stamp"
    sources = sorted([module / "pom.xml", *(module / "src" / "main").rglob("*.java")])
    key = hashlib.sha256(b"".join(p.read_bytes() for p in sources) + f"{jjava}:{jjava.stat().st_size}:"
                         f"{jjava.stat().st_mtime_ns}:{java}".encode()).hexdigest()
    if jar.is_file() and stamp.is_file() and stamp.read_text() == key:
        return jar
    env = dict(os.environ, JAVA_HOME=str(pathlib.Path(java).resolve().parent.parent))
    done = subprocess.run(["mvn", "-q", "-B", "-DskipTests", f"-Djjava.jar={jjava}", "package"], cwd=module,
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"could not build the course kernel (kernel/):\n{done.stdout}{done.stderr}")
    shutil.copyfile(module / "target" / "course-kernel.jar", jar)
    stamp.write_text(key)
    print(f"built the course kernel into {jar}", file=sys.stderr)
    return jar


WARMUP = [
    "Summary.of(Conv2d.of(3, 8, 3), Shape.of(3, 32))",
    "NdLayer.init(SeparableConv.of(8, 16, 3).padding(1), 0).forward(Tensors.random(Shape.of(8, 16), 0)).length()",
    "Summary.of(Models.mobilenetV1(0.25, 128)).table()",
    "new Figure(Plot.layout(\"warm-up\", \"x\", \"y\"), Plot.line(\"y\", new int[] {1, 2}, new double[] {1, 2}))",
]


def class_archive(prefix, name, spec, archive, inputs):
    """A class-data-sharing archive of what the kernel loads for a first lesson, made by running the kernel once on
    WARMUP cells (JDK 13+ writes it at exit): kernel start to first result drops by ~0.3 s. Remade when the
    kernelspec, the JDK or a jar changes; skipped (no archive, same kernel) where jupyter_client is not installed."""
    stamp = archive.with_suffix(".stamp")
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()
                         + b"".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}".encode() for p in inputs)).hexdigest()
    if archive.is_file() and stamp.is_file() and stamp.read_text() == key:
        return True
    try:
        from jupyter_client.manager import KernelManager
    except ImportError:
        return False
    archive.unlink(missing_ok=True)
    temp = prefix / "share" / "jupyter" / "kernels" / f"{name}-archive"
    temp.mkdir(parents=True, exist_ok=True)
    # quiet: the JVM lists every class it leaves out (thousands of lines)
    dump = dict(spec, argv=with_jvm_options(spec["argv"], f"-XX:ArchiveClassesAtExit={archive}", "-Xlog:cds*=off"))
    (temp / "kernel.json").write_text(json.dumps(dump, indent=2))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(prefix / "share" / "jupyter"),
                                                                os.environ.get("JUPYTER_PATH")]))
    km = KernelManager(kernel_name=temp.name)
    try:
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        for cell in WARMUP:
            reply = kc.execute_interactive(cell, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"warm-up cell failed: {cell}")
        # the JVM writes the archive as it exits; JJava itself takes a minute to exit after a shutdown request
        kc.execute("System.exit(0);")
        deadline = time.monotonic() + 120
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        kc.stop_channels()
    except Exception as e:  # the kernel works without an archive: say so and go on
        print(f"no class archive for the kernel ({e})", file=sys.stderr)
        return False
    finally:
        if km.has_kernel and km.is_alive():
            km.shutdown_kernel(now=True)
        shutil.rmtree(temp, ignore_errors=True)
    if not archive.is_file():
        print("no class archive for the kernel (the JVM did not write one)", file=sys.stderr)
        return False
    stamp.write_text(key)
    print(f"made the kernel's class archive {archive}", file=sys.stderr)
    return True


if __name__ == "__main__":
    main()
