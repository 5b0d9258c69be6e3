"""The container recipe and the Kubernetes manifests agree with each other and with the repository.

Docker cannot run here, so the image is never built: these tests check everything the Dockerfile
copies and runs exists, that the nginx configuration it installs passes `nginx -t` laid out as in
the image, and that the manifests' ports, probes, user and writable paths match that image.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NAMESPACE = "ai-agents"
HOST = "support.ai-agents.internal"


# -- Dockerfile ------------------------------------------------------------------------------

def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def stages() -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for instruction, args in instructions():
        if instruction == "FROM":
            found.append([])
        if found:
            found[-1].append((instruction, args))
    return found


def copies(stage) -> list[tuple[str | None, list[str], str]]:
    """(from-stage or None, sources, destination) of each COPY."""
    result = []
    for instruction, args in stage:
        if instruction == "COPY":
            words = args.split()
            origin = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            paths = [w for w in words if not w.startswith("--")]
            result.append((origin, paths[:-1], paths[-1]))
    return result


def nginx_directive(name: str, conf: str = "nginx.conf") -> list[str]:
    text = (DEPLOY / "nginx" / conf).read_text()
    return re.findall(rf"(?m)^\s*{name}\s+([^;]+);", text)


def test_the_image_is_built_in_two_stages_from_pinned_dependencies():
    build, serve = stages()
    assert build[0][1].endswith("AS build")
    assert ("RUN", "pip install --no-cache-dir .") in build
    dependencies = __import__("tomllib").loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    unpinned = [d for d in dependencies if "==" not in d and not d.startswith("PyYAML")]
    assert unpinned == [], "the image build installs these without a pinned version"
    assert serve[0][1] in {"${NGINX_IMAGE}"}
    assert re.search(r"ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:[\d.]+-alpine",
                     (DEPLOY / "Dockerfile").read_text())


def test_the_dependency_layer_has_every_package_pip_installs():
    # pyproject.toml and the package folders are copied before `pip install .`, the rest after.
    build = stages()[0]
    install = build.index(("RUN", "pip install --no-cache-dir ."))
    copied = {source.rstrip("/") for origin, sources, _ in copies(build[:install]) if origin is None
              for source in sources}
    packages = __import__("tomllib").loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert "pyproject.toml" in copied
    assert [p for p in packages if p.split(".")[0] not in copied] == []


def test_everything_copied_from_the_repository_exists():
    for stage in stages():
        for origin, sources, _ in copies(stage):
            if origin is None:
                for source in sources:
                    assert (ROOT / source).exists(), f"deploy/Dockerfile copies {source}, which does not exist"


def test_everything_the_build_stage_runs_exists():
    build_runs = " ".join(args for instruction, args in stages()[0] if instruction == "RUN")
    for module in re.findall(r"python -m ([\w.]+)", build_runs):
        assert (ROOT / (module.replace(".", "/") + ".py")).exists(), module
    for script in re.findall(r"\bsh (\S+\.sh)", build_runs):
        assert (ROOT / script).exists(), script
    assert "mkdocs build --strict" in build_runs
    assert "git" in build_runs, "page dates need git in the build stage"


def test_what_the_serving_stage_takes_from_the_build_stage_is_produced_there():
    build_runs = " ".join(args for instruction, args in stages()[0] if instruction == "RUN")
    for origin, sources, _ in copies(stages()[1]):
        if origin == "build":
            for source in sources:
                assert source in build_runs, f"{source} is copied from the build stage but never written there"


def test_the_image_installs_the_nginx_files_the_serving_test_runs():
    installed = {sources[0]: destination for origin, sources, destination in copies(stages()[1])}
    # tests/test_serving.py starts nginx on these two files.
    assert installed["deploy/nginx/nginx.conf"] == "/etc/nginx/nginx.conf"
    assert installed["deploy/nginx/portal.conf"] == "/etc/nginx/portal.conf"
    assert nginx_directive("include") == ["mime.types", "portal.conf"]
    assert installed["/out/csp-script-hashes.conf"] == "/etc/nginx/csp-script-hashes.conf"
    assert "csp-script-hashes.conf" in nginx_directive("include", "portal.conf")
    assert nginx_directive("root") == [installed["/out/site"]]


def test_the_image_runs_as_the_unprivileged_user_on_the_nginx_port():
    serve = stages()[1]
    user = [args for instruction, args in serve if instruction == "USER"][-1]
    assert user == "101"
    expose = [args for instruction, args in serve if instruction == "EXPOSE"]
    assert expose == nginx_directive("listen") == ["8080"]


def test_the_build_context_keeps_what_the_build_needs():
    ignored = [line.strip().rstrip("/") for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    assert ".git" not in ignored
    needed = {s.split("/")[0] for origin, sources, _ in copies(stages()[0]) if origin is None for s in sources}
    assert not needed & set(ignored)


def test_the_image_nginx_configuration_passes_nginx_t(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx not found: apt-get install -y nginx")
    # Laid out as in the image's /etc/nginx; the hash file is made by the real generator.
    for name in ("nginx.conf", "portal.conf"):
        shutil.copy(DEPLOY / "nginx" / name, tmp_path / name)
    shutil.copy("/etc/nginx/mime.types", tmp_path / "mime.types")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<script>var portal=1</script>")
    hashes = subprocess.run([sys.executable, "-m", "deploy.csp", str(site)], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    assert "'sha256-" in hashes
    (tmp_path / "csp-script-hashes.conf").write_text(hashes)
    done = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_nginx_writes_its_pid_and_buffers_only_under_tmp():
    writes = nginx_directive("pid") + [path for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
                                       for path in nginx_directive(f"{name}_temp_path")]
    assert len(writes) == 6
    assert all(path.startswith("/tmp/") for path in writes), writes


# -- Kubernetes ------------------------------------------------------------------------------

def manifests() -> dict[str, dict]:
    documents = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                documents[document["kind"]] = document
    return documents


def pod_spec() -> dict:
    return manifests()["Deployment"]["spec"]["template"]["spec"]


def container() -> dict:
    containers = pod_spec()["containers"]
    assert len(containers) == 1
    return containers[0]


def test_every_object_is_there_with_its_api_version_in_the_namespace():
    expected = {"Deployment": "apps/v1", "Service": "v1", "Ingress": "networking.k8s.io/v1",
                "PodDisruptionBudget": "policy/v1", "Kustomization": "kustomize.config.k8s.io/v1beta1"}
    found = manifests()
    assert {kind: doc["apiVersion"] for kind, doc in found.items()} == expected
    for kind, doc in found.items():
        if kind != "Kustomization":
            assert doc["metadata"]["namespace"] == NAMESPACE, kind
            assert doc["metadata"]["name"] == "support-portal", kind
    listed = set(found["Kustomization"]["resources"])
    assert listed == {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}


def test_the_deployment_runs_two_replicas_spread_and_rolled_without_downtime():
    deployment = manifests()["Deployment"]["spec"]
    assert deployment["replicas"] >= 2
    assert deployment["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert deployment["selector"]["matchLabels"].items() <= deployment["template"]["metadata"]["labels"].items()
    assert pod_spec()["topologySpreadConstraints"][0]["topologyKey"] == "kubernetes.io/hostname"


def test_the_container_listens_where_nginx_listens():
    ports = container()["ports"]
    assert [p["containerPort"] for p in ports] == [int(nginx_directive("listen")[0])]


def probe_target_exists(path: str) -> bool:
    """An exact location of portal.conf, or a page the build writes (docs/x/y.md -> /x/y/)."""
    if f"location = {path} " in (DEPLOY / "nginx" / "portal.conf").read_text():
        return True
    page = path.strip("/")
    candidates = [ROOT / "docs" / "index.md"] if not page else [ROOT / "docs" / f"{page}.md",
                                                                 ROOT / "docs" / page / "index.md"]
    return path.endswith("/") and any(c.exists() for c in candidates)


@pytest.mark.parametrize("probe", ["readinessProbe", "livenessProbe"])
def test_probes_ask_nginx_for_paths_that_exist(probe):
    check = container()[probe]["httpGet"]
    assert check["port"] in {"http", 8080}
    assert probe_target_exists(check["path"]), check["path"]
    assert check["path"] in {"/", "/healthz"}  # tests/test_serving.py requests both through nginx


def test_resources_are_requested_and_limited():
    resources = container()["resources"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= resources[kind].keys(), kind


def test_the_pod_is_non_root_with_a_read_only_root_and_a_writable_tmp():
    security = pod_spec()["securityContext"]
    assert security["runAsNonRoot"] is True
    assert str(security["runAsUser"]) == [a for i, a in stages()[1] if i == "USER"][-1]
    own = container()["securityContext"]
    assert own["readOnlyRootFilesystem"] is True
    assert own["allowPrivilegeEscalation"] is False
    assert own["capabilities"]["drop"] == ["ALL"]
    mounts = {m["mountPath"]: m["name"] for m in container()["volumeMounts"]}
    volumes = {v["name"]: v for v in pod_spec()["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]


def test_service_ingress_and_budget_point_at_the_pods():
    found = manifests()
    labels = found["Deployment"]["spec"]["template"]["metadata"]["labels"]
    service = found["Service"]["spec"]
    assert service["selector"].items() <= labels.items()
    assert service["ports"][0]["targetPort"] in {p["name"] for p in container()["ports"]}
    rule = found["Ingress"]["spec"]["rules"][0]
    assert rule["host"] == HOST
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == found["Service"]["metadata"]["name"]
    assert backend["port"]["name"] == service["ports"][0]["name"]
    assert found["Ingress"]["spec"]["tls"][0]["hosts"] == [HOST]
    budget = found["PodDisruptionBudget"]["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    assert budget["minAvailable"] < found["Deployment"]["spec"]["replicas"]
