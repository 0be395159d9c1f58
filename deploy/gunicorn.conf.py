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
