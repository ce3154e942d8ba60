"""`assay view`: the transcript viewer, a small WSGI app served from the store.

Pages are rendered on the server (jinja2, autoescaped) and carry no JavaScript at
all; a Content-Security-Policy forbids scripts, so no text from a transcript can run.
The list pages through the store's light audit index; one audit's transcript is
loaded only when it is opened, so a store of thousands of audits stays quick.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import InputError, Problem
from ..judge import load_rubric
from ..scenarios import known_seeds
from ..schema import EVIDENCE_CHECKS
from ..store import Store
from ._table import EMBEDDED_NOTICE
from ._view_audit import audit_view
from ._view_list import FILTERS, PAGE_SIZE, ListQuery, list_page

PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'"
)
"""No scripts, no frames, no requests anywhere: only the page and its inline style
(also in each page's <meta>, so a saved page keeps it)."""
CONTENT_SECURITY_POLICY = PAGE_POLICY + "; frame-ancestors 'none'"
"""The header adds what only a header can say: no other site may frame the viewer."""
HEADERS = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
]
_AUDIT_PATH = re.compile(r"^/audit/(\d+)$")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def seed_behaviours(store: Store, run_ids: Sequence[str] | None) -> dict[str, list[str]]:
    """Each seed's behaviours, from the shipped library and the seed files the runs
    used (seed files moved since are skipped: their audits show no behaviour)."""
    entries = [
        entry
        for run in store.runs()
        if run_ids is None or run.id in run_ids
        for entry in run.config.get("seeds") or []
    ]
    seeds = known_seeds(entries)
    return {seed.id: list(seed.behaviours) for seed in seeds}


class Viewer:
    """The WSGI application behind `assay view`.

    Args:
        store: The store to show.
        run_ids: Only these runs (default: every run).
        dimension: The dimension whose panel score the list shows and sorts by.
        page_size: Audits per list page.
    """

    def __init__(
        self,
        store: Store,
        run_ids: Sequence[str] | None = None,
        dimension: str = "concerning",
        page_size: int = PAGE_SIZE,
    ) -> None:
        known = {run.id for run in store.runs()}
        missing = [r for r in run_ids or [] if r not in known]
        if missing:
            raise InputError(
                "run selection",
                [
                    Problem(
                        source=store.safe_url,
                        field="--run",
                        message=f"no run {', '.join(missing)} in this store; "
                        "`assay runs` lists the stored runs",
                    )
                ],
            )
        self.store = store
        self.run_ids = list(run_ids) if run_ids else None
        self.dimension = dimension
        self.page_size = page_size
        self.behaviours = seed_behaviours(store, self.run_ids)
        self.headline = [d.name for d in load_rubric().headline]
        self.env = Environment(
            loader=PackageLoader("assay.report", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        self.env.globals["urlencode"] = urlencode
        self.env.globals["evidence"] = EVIDENCE_CHECKS

    def __call__(
        self, environ: Mapping[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        params = dict(parse_qsl(environ.get("QUERY_STRING") or ""))
        status, body = "200 OK", None
        if path == "/":
            body = self.list_html(params)
        elif match := _AUDIT_PATH.match(path):
            body = self.audit_html(int(match.group(1)))
        if body is None:
            status, body = "404 Not Found", self._render("view_missing.html.j2", path=path)
        data = body.encode("utf-8")
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))]
        start_response(status, headers + HEADERS)
        return [data]

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(csp=PAGE_POLICY, **context)

    def list_html(self, params: Mapping[str, str]) -> str:
        """The list page for these URL parameters."""
        query = ListQuery.from_params(params)
        dimension = params.get("dimension") or self.dimension
        index = self.store.audit_index(self.run_ids, dimension)
        page = list_page(index, query, self.behaviours, self.page_size)
        return self._render(
            "view_list.html.j2",
            page=page,
            query=query,
            filters=FILTERS,
            dimension=dimension,
            default_dimension=self.dimension,
            behaviours=self.behaviours,
        )

    def audit_html(self, audit_id: int) -> str | None:
        """The page of one audit; None when the store has no such audit in view."""
        record = self.store.audit(audit_id)
        if record is None or (self.run_ids is not None and record.run_id not in self.run_ids):
            return None
        events, verdicts = audit_view(record, self.headline)
        models = [record.target, record.auditor] + [v.judge for v in record.verdicts]
        embedded = sorted({m for m in models if m.startswith("local/")})
        return self._render(
            "view_audit.html.j2",
            record=record,
            events=events,
            verdicts=verdicts,
            behaviours=self.behaviours.get(record.seed_id, []),
            details=json.dumps(record.details, indent=2, ensure_ascii=False)
            if record.details
            else "",
            notice=EMBEDDED_NOTICE.format(models=", ".join(embedded)) if embedded else None,
        )


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class ViewerServer:
    """The viewer served over HTTP on `host:port` (port 0 picks a free one)."""

    def __init__(self, viewer: Viewer, host: str = "127.0.0.1", port: int = 8765) -> None:
        try:
            self._server = make_server(
                host, port, viewer, server_class=_Server, handler_class=_QuietHandler
            )
        except OSError as exc:
            raise InputError(
                "viewer address",
                [
                    Problem(
                        source=f"{host}:{port}",
                        field="--port",
                        message=f"cannot listen there ({exc.strerror or exc}); pick another "
                        "port with --port (0 picks a free one)",
                    )
                ],
            ) from exc
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}/"

    def serve_forever(self) -> None:
        """Serve until interrupted (Ctrl-C) or `close` is called from another thread."""
        self._server.serve_forever()

    def start(self) -> ViewerServer:
        """Serve from a background thread (for tests and scripts); returns self."""
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def __enter__(self) -> ViewerServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
