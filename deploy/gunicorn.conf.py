# gunicorn settings for one Inzetbaarheidsspel process. Run several processes (one per core), each
# on its own port, behind nginx with sticky sessions; they share rooms through Redis.
#   gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001 game.wsgi:app
import os

worker_class = "gevent"   # the gevent worker monkey-patches before the app is imported
workers = 1               # Socket.IO needs one worker per process: sticky sessions pick the process
worker_connections = 4000
bind = os.environ.get("BIND", "127.0.0.1:8001")
timeout = 60
graceful_timeout = 20
accesslog = "-"
# No client address in the access log (docs/privacy.md): the default format starts with %(h)s.
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker):  # noqa: ANN001, ANN201
    """No client address in gunicorn's own lines either (docs/privacy.md): its "Invalid request from ip=…"
    warnings (junk sent to the port, a WebSocket's frames read as a request) pass the app's filter too."""
    from game.security import NoClientAddresses

    for log in (worker.log.error_log, worker.log.access_log):
        for handler in log.handlers:
            handler.addFilter(NoClientAddresses())
