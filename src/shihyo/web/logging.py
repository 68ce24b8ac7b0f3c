"""Logs an administrator can follow: one line per request and per command, with a request id, user and duration.

- `RequestIdMiddleware` gives every request an id (the caller's X-Request-ID when it is a plain token,
  else a new one), exposes it as `request.id` and in the response header X-Request-ID, and logs one line
  when the response is ready (logger `shihyo.request`).
- `CommandLog` does the same for a `shihyo` command (logger `shihyo.command`).
- Every record carries `request_id` and `user` (a filter reads them from the current request or command),
  so an internal error logged with its traceback can be matched with the line of its request.
- `SHIHYO_LOG_FORMAT=json` writes one JSON object per line instead of text; `SHIHYO_LOG_LEVEL` sets the level.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
TOKEN = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
REQUESTS = logging.getLogger("shihyo.request")
COMMANDS = logging.getLogger("shihyo.command")


@dataclass
class Context:
    request_id: str
    user: str = "-"


_current: contextvars.ContextVar[Context | None] = contextvars.ContextVar("shihyo_log_context", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    context = _current.get()
    return context.request_id if context else "-"


class ContextFilter(logging.Filter):
    """Adds `request_id` and `user` to every record (from the request or command being handled)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if not hasattr(record, "request_id"):
            record.request_id = context.request_id if context else "-"
        if not hasattr(record, "user"):
            record.user = context.user if context else "-"
        return True


class TextFormatter(logging.Formatter):
    """`2026-12-01T23:26:08.822Z INFO shihyo.request [<request id> <user>] GET / 200 41.2 ms` (times in UTC)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s",
            datefmt="%Y-%m-%dT%H:%M:%S",
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return time.strftime(datefmt or "%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, user, the extra fields, traceback."""

    FIELDS = ("method", "path", "status", "duration_ms", "command", "exit_code")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "user", "-"),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """The LOGGING setting: everything to stderr (a service manager collects it), as text or JSON."""
    chosen = level.upper() if level.upper() in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {
            "text": {"()": TextFormatter},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "json" if fmt.lower() == "json" else "text",
            }
        },
        "loggers": {
            "shihyo": {"handlers": ["console"], "level": chosen, "propagate": False},
            # a command's internal error: its traceback goes to the log file that `shihyo` names, not the terminal
            "shihyo.crash": {"handlers": [], "level": "ERROR", "propagate": False},
            "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            # our request line replaces Django's own warnings about 4xx responses
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            "waitress": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }


def _user_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.get_username())
    return "-"


class RequestIdMiddleware:
    """The request's id (`request.id`, header X-Request-ID) and one log line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        offered = request.headers.get(HEADER, "")
        request_id = offered if TOKEN.match(offered) else new_id()
        vars(request)["id"] = request_id  # read as request.id (other middleware, views, error pages)
        context = Context(request_id)
        token = _current.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            context.user = _user_of(request)
            duration = round((time.perf_counter() - started) * 1000, 1)
            response[HEADER] = request_id
            REQUESTS.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration,
                },
            )
            return response
        finally:
            _current.reset(token)


class CommandLog:
    """The log context of one `shihyo` command; `finish` writes its line (name, exit code, duration)."""

    def __init__(self, command: str, user: str) -> None:
        self.command = command
        self.context = Context(new_id(), user or "-")
        self._token = _current.set(self.context)
        self._started = time.perf_counter()

    def finish(self, exit_code: int) -> None:
        duration = round((time.perf_counter() - self._started) * 1000, 1)
        COMMANDS.info(
            "shihyo %s exit %s %.1f ms",
            self.command,
            exit_code,
            duration,
            extra={"command": self.command, "exit_code": exit_code, "duration_ms": duration},
        )
        _current.reset(self._token)
