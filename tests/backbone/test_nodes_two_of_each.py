"""Two web nodes and two workers on shared PostgreSQL, Redis, S3 and SMTP, none of them
keeping anything on its own disk (`pytest -m nodes`; .ci/run runs it).

One test, since starting the four processes is most of its cost; it proves in turn:
a PDF asked for through web A, rendered by a worker, downloads through web B; a
newsletter to 2,000 recipients sent by both workers reaches each exactly once; a worker
SIGKILLed in the middle of the next one loses and duplicates nothing once the other has
finished; and no node wrote a file under its working directory."""

import os
import sys
import time
import uuid

import psycopg
import pytest
import requests

from backbone.celery import app

from .nodes import (
    database_create,
    database_drop,
    files_under,
    node_environment,
    ready,
    run,
    setup_run,
    smtp_sink_start,
    wait_until,
    web_start,
    worker_start,
)
from .s3 import bucket_create, s3_client, s3_server

RECIPIENTS = 2000

pytestmark = [
    pytest.mark.nodes,
    pytest.mark.real_clock,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL")
        or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as CI starts them",
    ),
]


def statuses(database_url: str, newsletter_id: int) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM plans_delivery WHERE newsletter_id = %s GROUP BY status",
            [newsletter_id],
        ).fetchall()
    return dict(rows)


def send(newsletter_id: int, organization_id: int, copies: int) -> None:
    """Queue the send job `copies` times, as several nodes (or clicks, or retries) may:
    each copy claims rows in batches, so both workers consume the same issue."""
    for _ in range(copies):
        app.send_task(
            "plans.send_newsletter",
            kwargs={"organization_id": organization_id, "newsletter_id": newsletter_id},
        )


def sending_finished(database_url, sink, newsletter_id, subject, started) -> str:
    """Wait until every delivery is marked sent; the sink's figures, as a sentence."""
    wait_until(
        lambda: statuses(database_url, newsletter_id).get("sent") == RECIPIENTS,
        timeout=240,
        what=f"{subject}: {RECIPIENTS} deliveries sent",
        every=0.5,
    )
    seconds = time.monotonic() - started
    mails, recipients, duplicates = sink.figures(subject)
    return f"{mails} mails to {recipients} recipients, {duplicates} duplicates, {seconds:.1f} s"


def test_two_web_nodes_and_two_workers_share_everything_and_keep_nothing(tmp_path, capsys):
    base_url = os.environ["DATABASE_URL"]
    name, database_url = database_create(base_url)
    sink, controller = smtp_sink_start()
    nodes = {}
    try:
        with s3_server() as endpoint:
            bucket = f"backbone-{uuid.uuid4().hex[:12]}"
            bucket_create(endpoint, bucket)
            environments = {}
            for node in ("web-a", "web-b", "worker-a", "worker-b"):
                (tmp_path / node).mkdir()
                environments[node] = node_environment(
                    database_url=database_url,
                    redis_url=os.environ["REDIS_URL"],
                    s3_endpoint=endpoint,
                    bucket=bucket,
                    smtp_port=controller.port,
                    workdir=tmp_path / node,
                )
            run([sys.executable, "manage.py", "migrate", "--noinput"], environments["web-a"])
            data = setup_run(environments["web-a"], "build", str(RECIPIENTS))

            started = time.monotonic()
            nodes["web-a"], url_a = web_start("web-a", environments["web-a"], tmp_path / "web-a")
            nodes["web-b"], url_b = web_start("web-b", environments["web-b"], tmp_path / "web-b")
            for worker in ("worker-a", "worker-b"):
                nodes[worker] = worker_start(worker, environments[worker], tmp_path / worker)
            for url in (url_a, url_b):
                wait_until(lambda url=url: ready(url), timeout=90, what=f"{url}/readyz")
            wait_until(
                lambda: len(app.control.ping(timeout=1) or []) >= 2, timeout=90, what="2 workers"
            )
            with capsys.disabled():  # the figures show in CI's log without -s
                print(f"\nfour nodes ready in {time.monotonic() - started:.1f} s")

            # 1. A PDF asked for through web A, rendered by a worker, downloads through web B.
            plan = f"/o/{data['slug']}/plans/versions/{data['version_id']}"
            browser = requests.Session()
            browser.cookies.set("sessionid", data["session"], domain="127.0.0.1")
            page = browser.get(f"{url_a}{plan}/", timeout=30)
            assert page.status_code == 200, page.text[:500]
            request_id = "pdf-" + uuid.uuid4().hex[:12]
            asked = browser.post(
                f"{url_a}{plan}/pdf/",
                headers={
                    "X-CSRFToken": browser.cookies["csrftoken"],
                    "HX-Request": "true",
                    "X-Request-ID": request_id,
                },
                timeout=30,
            )
            assert asked.status_code == 200 and asked.headers["X-Request-ID"] == request_id
            download = wait_until(
                lambda: (
                    (r := browser.get(f"{url_b}{plan}/pdf/download/", timeout=30)).status_code
                    == 200
                    and r
                ),
                timeout=120,
                what="the PDF through web B",
                every=0.5,
            )
            assert download.headers["Content-Type"] == "application/pdf"
            assert download.content.startswith(b"%PDF")
            objects = s3_client(endpoint).list_objects_v2(Bucket=bucket)["Contents"]
            assert [o["Key"].split("/")[1] for o in objects] == ["pdf"]
            # The request's id went with the job: the worker's JSON log line of the run has it.
            worker_logs = nodes["worker-a"].output() + nodes["worker-b"].output()
            assert f'"request_id": "{request_id}"' in worker_logs
            assert '"task": "plans.render_plan_pdf"' in worker_logs

            # 2. 2,000 recipients, both workers sending: exactly one mail each.
            first, second = data["newsletters"]
            assert setup_run(environments["web-a"], "send", str(first)) == RECIPIENTS
            started = time.monotonic()
            send(first, data["organization_id"], copies=4)
            figures = sending_finished(database_url, sink, first, "Issue 1", started)
            with capsys.disabled():  # the figures show in CI's log without -s
                print(f"newsletter, both workers: {figures}")
            assert figures.startswith(f"{RECIPIENTS} mails to {RECIPIENTS} recipients, 0 dup")
            both = [
                nodes[w].output().count('"task": "plans.send_newsletter"')
                for w in ("worker-a", "worker-b")
            ]
            assert all(both), f"each worker ran sending jobs: {both}"

            # 3. Worker A killed in the middle of the next issue: worker B finishes it all.
            assert setup_run(environments["web-a"], "send", str(second)) == RECIPIENTS
            started = time.monotonic()
            send(second, data["organization_id"], copies=4)
            wait_until(
                lambda: sink.figures("Issue 2")[0] >= RECIPIENTS // 4,
                timeout=120,
                what="a quarter of the second issue",
                every=0.05,
            )
            nodes["worker-a"].kill()
            at_kill = sink.figures("Issue 2")[0]
            figures = sending_finished(database_url, sink, second, "Issue 2", started)
            with capsys.disabled():  # the figures show in CI's log without -s
                print(f"newsletter, worker A SIGKILLed after {at_kill} mails: {figures}")
            assert figures.startswith(f"{RECIPIENTS} mails to {RECIPIENTS} recipients, 0 dup")

            # 4. Nothing written under any node's working directory.
            for node in nodes.values():
                assert files_under(node.workdir) == [], node.name
    except BaseException:
        for node in nodes.values():
            print(f"--- {node.name}, last lines:\n" + "\n".join(node.output().splitlines()[-30:]))
        raise
    finally:
        for node in nodes.values():
            node.stop()
        controller.stop()
        database_drop(base_url, name)
