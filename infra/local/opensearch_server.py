"""A real single-node OpenSearch server for the local stack and the tests, without Docker.

Stdlib only (and the layer's parent-death helper). What it does:

* ``ensure_installed()`` fetches the minimal OpenSearch distribution (the
  ``integ-test-zip`` artifact) and three modules it lacks (analysis-common,
  mapper-extras, reindex) with Maven, which keeps them in the local Maven
  repository; it then extracts the distribution once into
  ``<tempdir>/case-reviews-<uid>/opensearch-<version>``. Later calls reuse that
  install, and a file lock makes concurrent callers safe.
* ``OpenSearchServer`` runs that install in the foreground as a child process (in its
  own session), with a fresh per-run config, data, log and tmp directory that
  ``stop()`` removes. As root it runs under a dedicated non-root system user,
  because OpenSearch refuses to run as root. The server is killed when the thread that
  started it exits, even if this process is killed by SIGKILL (the layer's
  ``case_reviews.adapters.child_processes``): start it from the main thread.

Environment variables:

* ``CASE_REVIEWS_OPENSEARCH_HEAP``: JVM heap size, e.g. ``512m`` (default ``1g``).
* ``OPENSEARCH_JAVA_HOME``: the JDK to use (otherwise found from ``JAVA_HOME``,
  ``java`` on ``PATH`` or the usual JDK folders; it must be Java 11 to 23).

Command line: ``python -m infra.local.opensearch_server [--port N] [--heap 1g]``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import functools
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
import zipfile
from collections.abc import Iterator
from pathlib import Path

from case_reviews.adapters.child_processes import die_with_parent

# For `setpriv ... --` (util-linux 2.33 or later): the parent-death signal is cleared by the
# credential change to the service user, so setpriv sets it again after dropping to it.
SETPRIV_DIE_WITH_PARENT = ("--pdeathsig", "KILL")

OPENSEARCH_VERSION = "2.19.6"

DEFAULT_HEAP = "1g"
HEAP_ENV_VAR = "CASE_REVIEWS_OPENSEARCH_HEAP"
SERVICE_USER = "case-reviews-search"

# Bump when the install recipe changes, so that older cached installs are rebuilt.
_INSTALL_LAYOUT = 1
_MARKER_NAME = ".case-reviews-install.json"
_MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
_DISTRIBUTION_GROUP = "org.opensearch.distribution.integ-test-zip"
_MIN_JAVA, _MAX_JAVA = 11, 23  # OpenSearch 2.x needs the Security Manager, gone in Java 24.


class _Module:
    def __init__(self, folder: str, group: str, artifact: str, classname: str, description: str) -> None:
        self.folder = folder
        self.group = group
        self.artifact = artifact
        self.classname = classname
        self.description = description


_MODULES = (
    _Module(
        "analysis-common",
        "org.opensearch.plugin",
        "analysis-common",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        'Adds "built in" analyzers to OpenSearch.',
    ),
    _Module(
        "mapper-extras",
        "org.opensearch.plugin",
        "mapper-extras-client",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "Adds advanced field mappers",
    ),
    _Module(
        "reindex",
        "org.opensearch.plugin",
        "reindex-client",
        "org.opensearch.index.reindex.ReindexPlugin",
        "The Reindex module adds APIs to reindex from one index to another or update documents in place.",
    ),
)


class OpenSearchError(RuntimeError):
    """Installing or starting the local OpenSearch failed."""


# --------------------------------------------------------------------------- helpers


def _cache_root() -> Path:
    """``<tempdir>/case-reviews-<uid>``: traversable by the service user, unlike $HOME."""
    root = Path(tempfile.gettempdir()) / f"case-reviews-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o755)
    st = root.lstat()
    if not root.is_dir() or root.is_symlink() or st.st_uid != os.getuid():
        raise OpenSearchError(f"{root} exists but is not a directory owned by uid {os.getuid()}")
    if (st.st_mode & 0o7777) != 0o755:
        os.chmod(root, 0o755)
    return root


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _run(cmd: list[str], *, cwd: Path | None = None, what: str) -> str:
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    except FileNotFoundError as exc:
        raise OpenSearchError(f"{what}: {cmd[0]} not found ({exc})") from exc
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise OpenSearchError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    return proc.stdout


def _java_major(java_home: Path) -> int | None:
    java = java_home / "bin" / "java"
    if not (java.is_file() and os.access(java, os.X_OK)):
        return None
    version = None
    release = java_home / "release"
    if release.is_file():
        m = re.search(r'^JAVA_VERSION="([^"]+)"', release.read_text(errors="replace"), re.M)
        if m:
            version = m.group(1)
    if version is None:
        try:
            out = subprocess.run(
                [str(java), "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        m = re.search(r'version "([^"]+)"', out)
        if not m:
            return None
        version = m.group(1)
    parts = version.split(".")
    try:
        major = int(parts[1] if parts[0] == "1" else parts[0])
    except (ValueError, IndexError):
        return None
    return major


def find_java_home() -> Path:
    """A JDK that OpenSearch 2.x runs on (Java 11-23; 21 and 17 preferred)."""
    explicit = os.environ.get("OPENSEARCH_JAVA_HOME")
    if explicit:
        if _java_major(Path(explicit)) is None:
            raise OpenSearchError(f"OPENSEARCH_JAVA_HOME={explicit} holds no usable bin/java")
        return Path(explicit)
    candidates: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    java_on_path = shutil.which("java")
    if java_on_path:
        candidates.append(Path(os.path.realpath(java_on_path)).parent.parent)
    # Last resort: the usual places JDKs get installed.
    for base in ("/usr/lib/jvm", "/usr/lib64/jvm", "/usr/java", "/opt/java", "/Library/Java/JavaVirtualMachines"):
        if os.path.isdir(base):
            for entry in sorted(Path(base).iterdir()):
                home = entry / "Contents" / "Home" if (entry / "Contents" / "Home").is_dir() else entry
                candidates.append(home)
    usable: list[tuple[int, int, Path]] = []
    seen: set[str] = set()
    for order, home in enumerate(candidates):
        key = os.path.realpath(home)
        if key in seen:
            continue
        seen.add(key)
        major = _java_major(home)
        if major is not None and _MIN_JAVA <= major <= _MAX_JAVA:
            preference = 0 if major in (17, 21) else 1
            usable.append((preference, order, Path(key)))
    if not usable:
        raise OpenSearchError(
            f"no JDK {_MIN_JAVA}-{_MAX_JAVA} found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm, ...); "
            "install JDK 17 or set OPENSEARCH_JAVA_HOME"
        )
    return min(usable)[2]


def _service_account() -> tuple[int, int] | None:
    """(uid, gid) to run OpenSearch as, or None to run as the caller (non-root)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        entry = None
    if entry is None:
        nologin = "/usr/sbin/nologin" if os.path.exists("/usr/sbin/nologin") else "/bin/false"
        cmd = ["useradd", "--system", "--no-create-home", "--shell", nologin, SERVICE_USER]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # 9: the user appeared meanwhile (another process created it).
        if proc.returncode not in (0, 9):
            raise OpenSearchError(f"could not create system user {SERVICE_USER}: {proc.stdout.strip()}")
        entry = pwd.getpwnam(SERVICE_USER)
    if entry.pw_uid == 0:
        raise OpenSearchError(f"user {SERVICE_USER} has uid 0")
    return entry.pw_uid, entry.pw_gid


@functools.cache
def _setpriv() -> str | None:
    """setpriv, if it is installed and can set the parent-death signal (util-linux 2.33 or later)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    try:
        usage = subprocess.run([setpriv, "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return setpriv if SETPRIV_DIE_WITH_PARENT[0] in usage else None


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.lchown(path, uid, gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def _artifact_name(jar_name: str) -> str:
    """``reactor-core-3.7.19.jar`` -> ``reactor-core``."""
    stem = jar_name[:-4] if jar_name.endswith(".jar") else jar_name
    m = re.match(r"^(.+?)-\d", stem)
    return m.group(1) if m else stem


# --------------------------------------------------------------------------- install


def _read_marker(dist: Path) -> dict | None:
    try:
        return json.loads((dist / _MARKER_NAME).read_text())
    except (OSError, ValueError):
        return None


def _marker_ok(marker: dict | None, version: str) -> bool:
    return bool(marker) and marker.get("version") == version and marker.get("layout") == _INSTALL_LAYOUT


def _pom(artifact_id: str, dependency: str = "", modules: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<project>\n"
        "  <modelVersion>4.0.0</modelVersion>\n"
        f"  <groupId>local.case-reviews.fetch</groupId><artifactId>{artifact_id}</artifactId>"
        "<version>1</version><packaging>pom</packaging>\n"
        f"{modules}{dependency}"
        "</project>\n"
    )


def _fetch_with_maven(version: str, workdir: Path) -> tuple[Path, dict[str, list[Path]]]:
    """Resolve the distribution zip and each module's runtime jars in one Maven run.

    Returns (zip path, {module folder: [jar paths]}). Maven keeps everything in the
    local Maven repository, so later installs need no network.
    """
    if shutil.which("mvn") is None:
        raise OpenSearchError("Maven (mvn) is needed to fetch OpenSearch the first time; install maven")
    projects = {"distribution": (_DISTRIBUTION_GROUP, "opensearch", "zip")}
    for module in _MODULES:
        projects[module.folder] = (module.group, module.artifact, "jar")
    module_list = "".join(f"    <module>{name}</module>\n" for name in projects)
    (workdir / "pom.xml").write_text(_pom("aggregator", modules=f"  <modules>\n{module_list}  </modules>\n"))
    for name, (group, artifact, kind) in projects.items():
        (workdir / name).mkdir()
        dep = (
            "  <dependencies><dependency>"
            f"<groupId>{group}</groupId><artifactId>{artifact}</artifactId><version>{version}</version>"
            f"<type>{kind}</type></dependency></dependencies>\n"
        )
        (workdir / name / "pom.xml").write_text(_pom(f"fetch-{name}", dependency=dep))
    _run(
        ["mvn", "-B", "-q", f"{_MAVEN_DEPENDENCY_PLUGIN}:copy-dependencies", "-DincludeScope=runtime"],
        cwd=workdir,
        what="fetching OpenSearch with Maven",
    )
    zip_path = workdir / "distribution" / "target" / "dependency" / f"opensearch-{version}.zip"
    if not zip_path.is_file():
        raise OpenSearchError(f"Maven did not produce {zip_path}")
    jars = {m.folder: sorted((workdir / m.folder / "target" / "dependency").glob("*.jar")) for m in _MODULES}
    return zip_path, jars


def _extract_zip(zip_path: Path, dest: Path) -> None:
    """Extract keeping the Unix permission bits (zipfile drops them)."""
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            target = Path(zf.extract(info, dest))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(target, mode)
            elif info.is_dir():
                os.chmod(target, 0o755)


def _descriptor(module: _Module, version: str) -> str:
    return (
        "# Written by infra/local/opensearch_server.py, in the format of modules/transport-netty4/\n"
        f"description={module.description}\n"
        f"version={version}\n"
        f"name={module.folder}\n"
        f"classname={module.classname}\n"
        "java.version=11\n"
        f"opensearch.version={version}\n"
        "custom.foldername=\n"
        "extended.plugins=\n"
        "has.native.controller=false\n"
    )


def _build_install(version: str, staging: Path) -> Path:
    work = staging / "maven"
    work.mkdir()
    zip_path, module_jars = _fetch_with_maven(version, work)
    extract_dir = staging / "extract"
    extract_dir.mkdir()
    _extract_zip(zip_path, extract_dir)
    dist = extract_dir / f"opensearch-{version}"
    if not (dist / "bin" / "opensearch").is_file():
        raise OpenSearchError(f"unexpected layout in {zip_path.name}: no opensearch-{version}/bin/opensearch")
    server_libs = {_artifact_name(p.name) for p in (dist / "lib").glob("*.jar")}
    for module in _MODULES:
        folder = dist / "modules" / module.folder
        folder.mkdir(mode=0o755)
        for jar in module_jars[module.folder]:
            if _artifact_name(jar.name) in server_libs:
                continue  # already on the server's classpath; a second copy is jar hell
            shutil.copyfile(jar, folder / jar.name)
            os.chmod(folder / jar.name, 0o644)
        (folder / "plugin-descriptor.properties").write_text(_descriptor(module, version))
        os.chmod(folder / "plugin-descriptor.properties", 0o644)
    return dist


def ensure_installed(version: str = OPENSEARCH_VERSION) -> Path:
    """Download (cached) + extract + add modules + set ownership; return the distribution dir.

    Safe to call from concurrent processes. Once done, it touches neither Maven nor the network.
    """
    root = _cache_root()
    dist = root / f"opensearch-{version}"
    account = _service_account()
    if _marker_ok(_read_marker(dist), version) and (account is None or dist.stat().st_uid == account[0]):
        return dist
    with _file_lock(root / f"opensearch-{version}.lock"):
        marker = _read_marker(dist)
        if _marker_ok(marker, version):
            if account is not None and dist.stat().st_uid != account[0]:
                _chown_tree(dist, *account)
            return dist
        for stale in root.glob(f".opensearch-{version}.*"):  # leftovers of an interrupted install
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".opensearch-{version}.staging-", dir=root))
        try:
            built = _build_install(version, staging)
            (built / _MARKER_NAME).write_text(
                json.dumps(
                    {
                        "version": version,
                        "layout": _INSTALL_LAYOUT,
                        "modules": sorted(["transport-netty4"] + [m.folder for m in _MODULES]),
                        "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    },
                    indent=2,
                )
                + "\n"
            )
            os.chmod(built, 0o755)
            if account is not None:
                _chown_tree(built, *account)
            if dist.exists() or dist.is_symlink():  # an old or incomplete install
                trash = Path(tempfile.mkdtemp(prefix=f".opensearch-{version}.old-", dir=root))
                os.rename(dist, trash / "dist")
            os.rename(built, dist)  # atomic: the install appears complete or not at all
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            for old in root.glob(f".opensearch-{version}.old-*"):
                shutil.rmtree(old, ignore_errors=True)
    return dist


# --------------------------------------------------------------------------- server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap_stale_runs(runs: Path) -> None:
    """Remove run dirs whose owning process died without stop() (e.g. kill -9), and their server."""
    for run_dir in runs.glob("run-*"):
        try:
            info = json.loads((run_dir / "run.json").read_text())
        except (OSError, ValueError):
            try:
                if time.time() - run_dir.stat().st_mtime > 3600:
                    shutil.rmtree(run_dir, ignore_errors=True)
            except OSError:
                pass
            continue
        owner_pid = info.get("owner_pid")
        if owner_pid and _pid_alive(owner_pid):
            continue
        server_pid = info.get("server_pid")
        if server_pid and _pid_alive(server_pid):
            try:
                cmdline = Path(f"/proc/{server_pid}/cmdline").read_bytes()
            except OSError:
                cmdline = b""
            if str(run_dir).encode() in cmdline:  # still ours, not a reused pid
                with contextlib.suppress(OSError):
                    os.killpg(server_pid, signal.SIGKILL)
        shutil.rmtree(run_dir, ignore_errors=True)


_HEAP_RE = re.compile(r"^\d+[kKmMgG]?$")

# Servers started by this process, stopped at interpreter exit if the caller forgot.
_RUNNING: weakref.WeakSet[OpenSearchServer] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        with contextlib.suppress(Exception):
            server.stop()


class OpenSearchServer:
    """A single-node OpenSearch on 127.0.0.1, started and stopped by this process.

    ``with OpenSearchServer() as server: requests go to server.url``.
    """

    def __init__(self, http_port: int | None = None, heap: str | None = None) -> None:
        self._fixed_port = http_port
        self.http_port: int = http_port or 0
        self.transport_port: int = 0
        self.heap = heap or os.environ.get(HEAP_ENV_VAR) or DEFAULT_HEAP
        if not _HEAP_RE.match(self.heap):
            raise ValueError(f"heap must look like 512m or 1g, not {self.heap!r}")
        self.version = OPENSEARCH_VERSION
        self.home: Path | None = None
        self.run_dir: Path | None = None
        self.log_path: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._log_file = None

    # -- public API

    @property
    def url(self) -> str:
        if not self.http_port:
            raise OpenSearchError("the server has not been started")
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout_s: float = 120) -> OpenSearchServer:
        """Install if needed, start, and return once cluster health is yellow or green.

        ``timeout_s`` counts from the launch of the server, not the first-time download.
        """
        if self._proc is not None:
            raise OpenSearchError("already started")
        self.home = ensure_installed(self.version)
        account = _service_account()
        java_home = find_java_home()
        attempts = 1 if self._fixed_port else 3
        for attempt in range(1, attempts + 1):
            try:
                self._launch(java_home, account)
                self._wait_ready(timeout_s)
                return self
            except OpenSearchError:
                log = "\n".join(self._log_lines())
                port_clash = "BindHttpException" in log or "BindTransportException" in log
                self._shutdown(keep_logs=True)
                if not (port_clash and attempt < attempts):
                    raise
            except BaseException:  # e.g. Ctrl-C while waiting: leave nothing running
                self._shutdown(keep_logs=False)
                raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """SIGTERM the server's process group, wait, SIGKILL if needed; remove the run dir."""
        self._shutdown(keep_logs=False)

    def wait(self) -> int:
        """Block until the server exits; return its exit code."""
        if self._proc is None:
            raise OpenSearchError("the server has not been started")
        return self._proc.wait()

    def __enter__(self) -> OpenSearchServer:
        return self.start() if self._proc is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __del__(self) -> None:  # last resort; call stop()
        with contextlib.suppress(Exception):
            if self._proc is not None and self._proc.poll() is None:
                self.stop()

    # -- internals

    def _make_run_dir(self, account: tuple[int, int] | None) -> None:
        runs = _cache_root() / "runs"
        runs.mkdir(mode=0o755, exist_ok=True)
        os.chmod(runs, 0o755)
        _reap_stale_runs(runs)
        self.run_dir = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=runs))
        os.chmod(self.run_dir, 0o755)
        self._write_run_info(None)
        for sub in ("data", "logs", "tmp"):
            (self.run_dir / sub).mkdir(mode=0o755)
        assert self.home is not None
        config = self.run_dir / "config"
        shutil.copytree(self.home / "config", config)
        # jvm.options writes gc.log, hs_err and heap dumps relative to the distribution;
        # point them into this run's directory so concurrent runs don't share files.
        jvm_options = config / "jvm.options"
        text = jvm_options.read_text()
        logs = str(self.run_dir / "logs")
        text = re.sub(r"(?<=[=:])logs/", logs + "/", text)
        text = re.sub(r"HeapDumpPath=data\b", f"HeapDumpPath={self.run_dir / 'tmp'}", text)
        jvm_options.write_text(text)
        if account is not None:  # the run dir itself (and run.json) stay the caller's
            for sub in ("config", "data", "logs", "tmp"):
                _chown_tree(self.run_dir / sub, *account)

    def _write_run_info(self, server_pid: int | None) -> None:
        assert self.run_dir is not None
        info = {"owner_pid": os.getpid(), "server_pid": server_pid}
        tmp = self.run_dir / "run.json.tmp"
        tmp.write_text(json.dumps(info))
        os.replace(tmp, self.run_dir / "run.json")

    def _launch(self, java_home: Path, account: tuple[int, int] | None) -> None:
        assert self.home is not None
        self._make_run_dir(account)
        assert self.run_dir is not None
        if not self._fixed_port:
            self.http_port = free_port()
        self.transport_port = free_port()
        while self.transport_port == self.http_port:
            self.transport_port = free_port()
        settings = {
            "cluster.name": "case-reviews-local",
            "node.name": "case-reviews-local",
            "discovery.type": "single-node",
            "network.host": "127.0.0.1",
            "http.port": str(self.http_port),
            "transport.port": str(self.transport_port),
            "path.data": str(self.run_dir / "data"),
            "path.logs": str(self.run_dir / "logs"),
            # A nearly full disk must not make the indexes read-only.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
        }
        cmd = [str(self.home / "bin" / "opensearch")]
        for key, value in settings.items():
            cmd += ["-E", f"{key}={value}"]
        env = dict(os.environ)
        for var in ("JAVA_TOOL_OPTIONS", "JAVA_OPTS", "OPENSEARCH_JAVA_OPTS", "ES_JAVA_OPTS"):
            env.pop(var, None)
        env.update(
            OPENSEARCH_HOME=str(self.home),
            OPENSEARCH_JAVA_HOME=str(java_home),
            OPENSEARCH_PATH_CONF=str(self.run_dir / "config"),
            OPENSEARCH_TMPDIR=str(self.run_dir / "tmp"),
            # OpenSearch pre-touches the whole heap by default: slower start, all of it
            # resident at once. Not worth it for a local/test node.
            OPENSEARCH_JAVA_OPTS=f"-Xms{self.heap} -Xmx{self.heap} -XX:-AlwaysPreTouch",
        )
        if account is not None:
            env.update(HOME=str(self.run_dir / "tmp"), USER=SERVICE_USER, LOGNAME=SERVICE_USER)
            setpriv = _setpriv()
            if setpriv:
                uid, gid = account
                # Changing credentials clears the parent-death signal: setpriv sets it again.
                cmd = [
                    setpriv,
                    f"--reuid={uid}",
                    f"--regid={gid}",
                    "--clear-groups",
                    *SETPRIV_DIE_WITH_PARENT,
                    "--",
                    *cmd,
                ]
                drop: dict = {}
            else:  # same effect, done by subprocess in the child before preexec_fn and exec
                drop = {"user": account[0], "group": account[1], "extra_groups": []}
        else:
            drop = {}
        self.log_path = self.run_dir / "logs" / "console.log"
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        if account is not None:
            os.chown(self.log_path, *account)
        self._proc = subprocess.Popen(
            cmd,
            cwd=self.run_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            # Own session + process group: stop() and _reap_stale_runs() kill the whole tree, and the
            # terminal's Ctrl-C reaches only the stack, which stops this server after what uses it.
            start_new_session=True,
            # ...and the parent-death signal kills it if this process dies without stop(), even by
            # SIGKILL. (With setpriv it covers setpriv itself, until setpriv sets it again.)
            preexec_fn=die_with_parent(),
            **drop,
        )
        _RUNNING.add(self)
        self._write_run_info(self._proc.pid)

    def _log_lines(self) -> list[str]:
        if self.log_path is None:
            return []
        try:
            return self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []

    def _log_tail(self, lines: int = 40) -> str:
        return "\n".join(self._log_lines()[-lines:])

    def _failure_report(self, headline: str) -> str:
        """Headline, the log's error lines (the tail is often just shutdown noise), the tail."""
        lines = self._log_lines()
        key: list[str] = []
        for i, line in enumerate(lines):
            if re.search(r"\]\[(ERROR|FATAL)\s*\]", line):
                key += lines[i : i + 2]
            elif line.startswith(("Likely root cause", "ERROR:", "Exception in thread")):
                key.append(line)
        key = list(dict.fromkeys(key))[:12]
        parts = [f"{headline}; log {self.log_path}"]
        if key:
            parts += ["errors:", *key]
        parts += [f"last {min(40, len(lines))} lines:", *lines[-40:]]
        return "\n".join(parts)

    def _wait_ready(self, timeout_s: float) -> None:
        assert self._proc is not None
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
        health = f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s"
        deadline = time.monotonic() + timeout_s
        while True:
            code = self._proc.poll()
            if code is not None:
                raise OpenSearchError(self._failure_report(f"OpenSearch exited with code {code} during startup"))
            try:
                with opener.open(health, timeout=5) as resp:
                    status = json.loads(resp.read()).get("status")
                if status in ("yellow", "green"):
                    return
            except urllib.error.HTTPError:
                pass  # 408 while red, 503 while the node starts
            except (OSError, ValueError):
                pass  # not listening yet
            if time.monotonic() > deadline:
                raise OpenSearchError(self._failure_report(f"OpenSearch was not ready within {timeout_s:.0f}s"))
            time.sleep(0.25)

    def _shutdown(self, keep_logs: bool) -> None:
        proc, self._proc = self._proc, None
        _RUNNING.discard(self)
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=30)
            # The leader may be gone while other members of its group remain.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        run_dir, self.run_dir = self.run_dir, None
        if run_dir is not None:
            if keep_logs:
                # Keep the logs of a failed start for inspection; a later start reaps
                # them once this process has exited.
                for sub in ("data", "config", "tmp"):
                    shutil.rmtree(run_dir / sub, ignore_errors=True)
            else:
                shutil.rmtree(run_dir, ignore_errors=True)


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local.opensearch_server",
        description=f"Run a local single-node OpenSearch {OPENSEARCH_VERSION} until Ctrl-C or SIGTERM.",
    )
    parser.add_argument("--port", type=int, default=None, help="HTTP port (default: a free one)")
    parser.add_argument(
        "--heap", default=None, help=f"JVM heap, e.g. 512m (default: ${HEAP_ENV_VAR} or {DEFAULT_HEAP})"
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for readiness")
    args = parser.parse_args(argv)

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Installed explicitly: a shell starting us in the background sets SIGINT to ignored.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    server = OpenSearchServer(http_port=args.port, heap=args.heap)
    try:
        started = time.monotonic()
        server.start(timeout_s=args.timeout)
        print(server.url, flush=True)
        print(
            f"OpenSearch {OPENSEARCH_VERSION} ready in {time.monotonic() - started:.1f}s (pid {server.pid}, "
            f"log {server.log_path}); Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        code = server.wait()
        print(f"OpenSearch exited unexpectedly with code {code}:\n{server._log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except OpenSearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
