"""Logs that several nodes can share: a request id on every line, JSON when asked.

`RequestLogMiddleware` gives each request an id (the proxy's `X-Request-ID` when it sends
a sane one), answers with it, and logs one line per request: method, path, status,
duration, organization and user id. The id travels into the jobs the request enqueues (a
Celery message header), so a job's log lines carry the id of the request that started it;
each job run logs one line too. `LOG_FORMAT=json` prints every record as one JSON object.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from celery import signals

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_logger = logging.getLogger("backbone.request")
job_logger = logging.getLogger("backbone.job")


class RequestIdFilter(logging.Filter):
    """Puts the current request (or job) id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the extra
    fields a caller passed (`logger.info(..., extra={...})`)."""

    _standard = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
        }
        for key, value in vars(record).items():
            if key not in self._standard and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if not request_logger.isEnabledFor(logging.INFO):
                return response  # nor read the user (a query) for a line nobody keeps
            organization = getattr(request, "organization", None)
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "organization": organization.slug if organization else None,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


@signals.before_task_publish.connect
def _send_request_id(headers=None, **_kwargs):
    """The enqueuing request's id goes along in the message's headers."""
    request_id = request_id_var.get()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


_job_started: dict[str, tuple[float, contextvars.Token]] = {}


@signals.task_prerun.connect
def _job_begins(task_id=None, task=None, **_kwargs):
    """A job runs under the id of the request that enqueued it (in-process, the request's
    own; on a worker, the message header's); a job beat started runs under its task id."""
    headers = getattr(task.request, "headers", None) or {}
    request_id = (
        getattr(task.request, "request_id", None)
        or headers.get("request_id")
        or request_id_var.get()
        or task_id
        or ""
    )
    _job_started[task_id] = (time.monotonic(), request_id_var.set(request_id))


@signals.task_postrun.connect
def _job_ends(task_id=None, task=None, state=None, kwargs=None, **_kwargs):
    started, token = _job_started.pop(task_id, (None, None))
    job_logger.info(
        "job %s %s",
        task.name,
        state,
        extra={
            "task": task.name,
            "task_id": task_id,
            "state": state,
            "organization_id": (kwargs or {}).get("organization_id"),
            "duration_ms": None
            if started is None
            else round((time.monotonic() - started) * 1000, 1),
        },
    )
    if token is not None:
        request_id_var.reset(token)


def scrub_event(event, _hint):
    """Sentry: no personal data leaves — no cookies, no request body, no user but an id."""
    request = event.get("request") or {}
    for key in ("cookies", "data", "query_string"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    for key in list(headers):
        if key.lower() in {"cookie", "authorization", "x-csrftoken"}:
            headers.pop(key)
    if "user" in event:
        event["user"] = {"id": event["user"].get("id")}
    return event
