#!/usr/bin/python3
"""An OpenStack Swift cluster in one process, for the end-to-end tests: proxy (with s3api and tempauth), account,
container and object servers, each a WSGI app on its own loopback port in one eventlet hub, with one-replica
rings and all state in a temporary folder. Run it with Debian's /usr/bin/python3 (package python3-swift).

It prints one JSON line on stdout when every server answers: {"ready": true, "endpoint": "http://127.0.0.1:PORT",
...}. It stops on SIGTERM or SIGINT, when its parent process goes away, or after --max-seconds, and then removes
the state folder it created (unless --keep).

Credentials (tempauth): access key "test:tester", secret "testing", account AUTH_test. S3 region us-east-1,
path-style URLs only (no storage_domain).
"""

import sys

sys.dont_write_bytecode = True  # no __pycache__ in the work tree for inproc_cache.py

import argparse
import json
import os
import shutil
import signal
import tempfile
import time

import eventlet

ACCESS_KEY = 'test:tester'
SECRET_KEY = 'testing'
ACCOUNT = 'AUTH_test'
REGION = 'us-east-1'


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--port', type=int, default=0, help='proxy port on 127.0.0.1 (default: a free one)')
    p.add_argument('--dir', help='state folder (default: a new temporary folder, removed on exit)')
    p.add_argument('--keep', action='store_true', help='keep the state folder on exit')
    p.add_argument('--max-seconds', type=float, default=1800, help='stop by itself after this long (default 1800)')
    p.add_argument('--cors-origin', default='*',
                   help='origins s3api answers CORS preflights for (cors_preflight_allow_origin, default *)')
    return p.parse_args()


class _FileLogHandler(object):
    """Stands in for Swift's syslog handler: this machine has no /dev/log, and logs belong in the state folder."""
    path = None

    def __new__(cls, *args, **kwargs):
        import logging
        return logging.FileHandler(cls.path)


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def main():
    args = parse_args()
    created = args.dir is None
    state = args.dir or tempfile.mkdtemp(prefix='sigv4-swift-')
    os.makedirs(state, exist_ok=True)
    parent = os.getppid()

    def cleanup():
        if created and not args.keep:
            shutil.rmtree(state, ignore_errors=True)

    def stop(signum=None, frame=None):
        cleanup()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    try:
        endpoint = start(args, state)
    except BaseException as error:
        cleanup()
        print(json.dumps({'ready': False, 'error': repr(error)}), flush=True)
        raise
    print(json.dumps({
        'ready': True,
        'endpoint': endpoint,
        'accessKeyId': ACCESS_KEY,
        'secretAccessKey': SECRET_KEY,
        'account': ACCOUNT,
        'region': REGION,
        'dir': state,
        'log': os.path.join(state, 'swift.log'),
        'pid': os.getpid(),
        'swift': swift_version(),
    }), flush=True)

    deadline = time.time() + args.max_seconds
    while True:
        eventlet.sleep(0.5)
        if os.getppid() != parent:
            stop()
        if time.time() > deadline:
            sys.stderr.write('swift launcher: --max-seconds reached, stopping\n')
            stop()


def swift_version():
    import swift
    return getattr(swift, '__version__', 'unknown')


def start(args, state):
    os.environ['TZ'] = 'UTC+0'
    time.tzset()
    from swift.common import utils
    utils.eventlet_monkey_patch()

    devices = os.path.join(state, 'devices')
    os.makedirs(os.path.join(devices, 'sda1'), exist_ok=True)
    _FileLogHandler.path = os.path.join(state, 'swift.log')
    utils.ThreadSafeSysLogHandler = _FileLogHandler

    write(os.path.join(state, 'swift.conf'), '\n'.join([
        '[swift-hash]',
        'swift_hash_path_suffix = sigv4-e2e',
        '',
        '[storage-policy:0]',
        'name = gold',
        'default = yes',
        '',
    ]))
    utils.set_swift_dir(state)
    from swift.common import constraints, storage_policy
    storage_policy.reload_storage_policies()
    constraints.reload_constraints()

    # Listening sockets first: the rings need the backend ports.
    socks = {name: eventlet.listen(('127.0.0.1', args.port if name == 'proxy' else 0))
             for name in ('proxy', 'account', 'container', 'object')}
    ports = {name: sock.getsockname()[1] for name, sock in socks.items()}

    from swift.common.ring import RingBuilder
    for kind in ('account', 'container', 'object'):
        builder = RingBuilder(4, 1, 1)
        builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': ports[kind],
                         'device': 'sda1', 'weight': 1, 'meta': ''})
        builder.rebalance()
        builder.get_ring().save(os.path.join(state, kind + '.ring.gz'))

    common = '\n'.join([
        '[DEFAULT]',
        'swift_dir = %s' % state,
        'devices = %s' % devices,
        'mount_check = false',
        'disable_fallocate = true',
        'log_level = INFO',
        'eventlet_debug = false',
        '',
    ])
    write(os.path.join(state, 'account-server.conf'), common + '\n'.join([
        '[pipeline:main]', 'pipeline = account-server', '',
        '[app:account-server]', 'use = egg:swift#account', '']))
    write(os.path.join(state, 'container-server.conf'), common + '\n'.join([
        '[pipeline:main]', 'pipeline = container-server', '',
        '[app:container-server]', 'use = egg:swift#container', 'allow_versions = true', '']))
    write(os.path.join(state, 'object-server.conf'), common + '\n'.join([
        '[pipeline:main]', 'pipeline = object-server', '',
        '[app:object-server]', 'use = egg:swift#object', '']))
    write(os.path.join(state, 'proxy-server.conf'), common + '\n'.join([
        '[pipeline:main]',
        # s3api before the auth middleware (tempauth checks the SigV4 signature s3api computed), slo for multipart.
        'pipeline = catch_errors gatekeeper proxy-logging cache listing_formats s3api tempauth copy slo dlo '
        'proxy-logging proxy-server',
        '',
        '[app:proxy-server]', 'use = egg:swift#proxy', 'account_autocreate = true', '',
        '[filter:catch_errors]', 'use = egg:swift#catch_errors', '',
        '[filter:gatekeeper]', 'use = egg:swift#gatekeeper', '',
        '[filter:proxy-logging]', 'use = egg:swift#proxy_logging', '',
        '[filter:cache]', 'paste.filter_factory = inproc_cache:filter_factory', '',
        '[filter:listing_formats]', 'use = egg:swift#listing_formats', '',
        '[filter:s3api]', 'use = egg:swift#s3api', 'location = %s' % REGION,
        'cors_preflight_allow_origin = %s' % args.cors_origin, '',
        '[filter:tempauth]', 'use = egg:swift#tempauth', 'user_test_tester = %s .admin' % SECRET_KEY, '',
        '[filter:copy]', 'use = egg:swift#copy', '',
        '[filter:slo]', 'use = egg:swift#slo', '',
        '[filter:dlo]', 'use = egg:swift#dlo', '',
    ]))

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from swift.common.http_protocol import SwiftHttpProtocol
    from swift.common.wsgi import loadapp
    from eventlet import wsgi

    class NullLogger(object):
        def write(self, *args):
            pass

    for name in ('account', 'container', 'object', 'proxy'):
        conf = os.path.join(state, name + '-server.conf')
        app = loadapp(conf, global_conf={'log_name': name + '-server'})
        eventlet.spawn(wsgi.server, socks[name], app, NullLogger(), protocol=SwiftHttpProtocol,
                       capitalize_response_headers=False, socket_timeout=60)

    endpoint = 'http://127.0.0.1:%d' % ports['proxy']
    wait_ready(ports)
    return endpoint


def wait_ready(ports):
    """Until every server answers its healthcheck-like request (the proxy: GET /info)."""
    import http.client as http_client  # sockets are green after eventlet_monkey_patch
    deadline = time.time() + 30
    for name, port in ports.items():
        path = '/info' if name == 'proxy' else '/recon/ping'
        while True:
            try:
                conn = http_client.HTTPConnection('127.0.0.1', port, timeout=5)
                conn.request('GET', path)
                conn.getresponse().read()
                conn.close()
                break
            except Exception:
                if time.time() > deadline:
                    raise RuntimeError('%s server on port %d did not answer' % (name, port))
                eventlet.sleep(0.05)


if __name__ == '__main__':
    main()
