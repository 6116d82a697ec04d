"""Gunicorn settings for STIMS: `gunicorn -c deploy/gunicorn.conf.py stims.wsgi:application`.

Every value can be changed from the environment file (deploy/stims.env.example) without editing this file.
"""

import multiprocessing
import os

# Loopback by default: only the reverse proxy on this machine talks to gunicorn. Another machine's proxy
# needs a private address here (GUNICORN_BIND=10.0.0.5:8000) and a firewall that admits only that proxy.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes for CPU work (templates, ORM), threads for the time a request waits on PostgreSQL or the disk.
# cores + 1: each process's 4 threads already overlap the waits, and a machine whose cores are busy
# serves more with fewer processes (issue #20's load test on 2 cores, two interleaved pairs: 3 processes
# 85.0 and 85.8 req/s, p95 770 and 790 ms, against 83.1 and 82.8 req/s, p95 870 and 1,100 ms for
# gunicorn's rule of thumb, 2 × cores + 1; docs/performance.md). Each process holds about 150–200 MB.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"

# A request still running after `timeout` seconds has its worker killed and restarted: long enough for
# the largest export or an upload of STIMS_MAX_UPLOAD_MB over a slow line (nginx buffers uploads, so
# gunicorn sees them at local speed), short enough that a stuck worker comes back.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Seconds an idle keep-alive connection (nginx keeps up to 16 open: deploy/nginx/stims.conf) stays open.
# Longer than nginx's `keepalive_timeout` in the upstream block (60 s), so that nginx, not gunicorn,
# closes an idle one: gunicorn closing a connection just as nginx sends a request down it fails that
# request (a 502 for a POST, which nginx never retries). The gthread worker keeps idle connections in its
# poller, not in a thread, so this costs no capacity. At 5 s, a worker starved of CPU for 5 s also reset
# connections whose request was already waiting (bench/load: "connection reset" on a loaded machine).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))

# Each worker is replaced after about ten thousand requests, at staggered moments, so that slow memory
# growth never builds up and the workers never all restart at once. A worker's start-up costs 1.7–2.0 s
# of CPU (importing the code, the URL configuration, stims.core.serving.settle): after every 1,000
# requests that was about 2 ms of each request's ~20; over 3,600 requests a worker grew from 160 to
# 175 MB, more slowly as it went (docs/performance.md, "Under load").
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10

# Not preloaded: on `systemctl reload stims-web` (HUP) each new worker imports the code on disk, so an
# upgrade takes effect without closing the listening socket (no 502s). Preloading would make HUP fork
# workers from the master's old code.
preload_app = False

# X-Forwarded-Proto from the proxy is believed only when it comes from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to standard output/error, which systemd's journal keeps (`journalctl -u stims-web`). The access
# line carries the client address from the proxy, the status, the size and the time taken in ms.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" rid=%({x-request-id}o)s'
)

proc_name = "stims"
# Gunicorn 24+ opens a control socket in $HOME/.gunicorn; the service user has no writable home.
control_socket_disable = True


# Prometheus metrics across worker processes (/metrics, stims.core.metrics): each process writes its
# samples to files in this directory, emptied when gunicorn starts, and a dead worker's are merged.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(os.environ.get("STIMS_DATA_DIR", "/var/lib/stims"), "metrics")
)


def on_starting(server):
    os.makedirs(_metrics_dir, exist_ok=True)
    for name in os.listdir(_metrics_dir):
        if name.endswith(".db"):
            os.remove(os.path.join(_metrics_dir, name))


def post_worker_init(worker):
    # The worker has loaded stims.wsgi: put what it built out of the garbage collector's way
    # (stims.core.serving; STIMS_GC_FREEZE=0 keeps Python's defaults).
    from stims.core import serving

    frozen = serving.settle()
    if frozen:
        worker.log.info("Worker %s: %d objects frozen out of garbage collection", worker.pid, frozen)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
