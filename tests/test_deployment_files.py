"""The deployment files agree with the settings: docker-compose.yml and
deploy/kubernetes.yaml load, scale as documented, probe /healthz and /readyz, and name
only variables that backbone/settings.py reads; the README's table names all of them.
(No Docker or cluster here: `docker compose config` and a real apply are not run.)"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
READERS = r"(?:os\.environ\.get|envbool|envint|envlist)\(\s*\"([A-Z][A-Z0-9_]+)\""
# Read by other programs than Django: the container images' own variables.
NOT_SETTINGS = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "MINIO_ROOT_USER",
                "MINIO_ROOT_PASSWORD", "MINIO_USER", "MINIO_PASSWORD"}  # fmt: skip


def settings_variables() -> set[str]:
    return set(re.findall(READERS, (ROOT / "backbone" / "settings.py").read_text()))


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def kubernetes() -> list[dict]:
    return list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text()))


def test_compose_runs_two_webs_two_workers_one_beat_on_healthy_services():
    services = compose()["services"]
    assert set(services) >= {"db", "redis", "minio", "bucket", "migrate", "web", "worker", "beat"}
    replicas = {name: services[name].get("deploy", {}).get("replicas", 1) for name in services}
    assert (replicas["web"], replicas["worker"], replicas["beat"]) == (2, 2, 1)
    for name in ("db", "redis", "minio", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("migrate", "web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["bucket"]["condition"] == "service_completed_successfully"
        if name != "migrate":
            assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["web"]["ports"] == ["8000-8001:8000"]  # one host port per replica
    assert "8000" in services["web"]["command"]


def test_compose_names_only_variables_the_settings_read():
    services = compose()["services"]
    app = services["web"]["environment"]
    assert set(app) <= settings_variables(), set(app) - settings_variables()
    assert app["S3_ENDPOINT_URL"] == "http://minio:9000" and app["LOG_FORMAT"] == "json"
    for service in services.values():
        assert set(service.get("environment", {})) <= settings_variables() | NOT_SETTINGS


def test_kubernetes_probes_scales_and_names_the_same_variables():
    documents = {(d["kind"], d["metadata"]["name"]): d for d in kubernetes()}
    config = documents[("ConfigMap", "backbone-config")]["data"]
    secret = documents[("Secret", "backbone-secrets")]["stringData"]
    assert not set(config) & set(secret)
    assert set(config) | set(secret) <= settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_SECRET_ACCESS_KEY"} <= set(secret)

    web = documents[("Deployment", "backbone-web")]["spec"]
    (container,) = web["template"]["spec"]["containers"]
    port = container["ports"][0]["containerPort"]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port}
    assert f"0.0.0.0:{port}" in container["command"]
    assert web["replicas"] >= 2
    assert documents[("Deployment", "backbone-worker")]["spec"]["replicas"] >= 2
    beat = documents[("Deployment", "backbone-beat")]["spec"]
    assert beat["replicas"] == 1 and beat["strategy"]["type"] == "Recreate"
    job = documents[("Job", "backbone-migrate")]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"][-2:] == ["migrate", "--noinput"]
    for name in ("backbone-web", "backbone-worker", "backbone-beat"):
        (c,) = documents[("Deployment", name)]["spec"]["template"]["spec"]["containers"]
        assert [e.get("configMapRef", e.get("secretRef"))["name"] for e in c["envFrom"]] == [
            "backbone-config",
            "backbone-secrets",
        ]


def test_the_readme_table_names_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    missing = sorted(v for v in settings_variables() if f"`{v}`" not in table)
    assert not missing, f"add to README's configuration table: {missing}"
