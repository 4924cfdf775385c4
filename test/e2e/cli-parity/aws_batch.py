# Runs Debian's AWS CLI v2 (the awscli.clidriver that /usr/bin/aws runs) once per JSON line on stdin, in this one
# process, and prints one JSON line per case: {"code", "stdout", "stderr"}. A case is {"args": [...], "env": {...}}:
# the command line without "aws", and the environment variables set for that case only (on top of this process's).
# Started by test/e2e/cli-parity.e2e.ts under faketime, so every URL is signed at the same frozen instant.
#
# Each case builds a new driver and session, as a new `aws` process would, so every setting is read afresh. Only the
# reading of botocore's bundled data files (service models, endpoint rules) and the listing of its data folders are
# kept between cases: they never change, and re-reading them is most of the 0.8 s an `aws` process takes.
import contextlib
import io
import json
import os
import sys

import awscli.clidriver
import botocore.loaders

_files = {}
_load_file = botocore.loaders.JSONFileLoader.load_file


def load_file(self, file_path):
    if file_path not in _files:
        _files[file_path] = _load_file(self, file_path)
    return _files[file_path]


_lists = {}
_list_services = botocore.loaders.Loader.list_available_services


def list_available_services(self, type_name):
    if type_name not in _lists:
        _lists[type_name] = _list_services(self, type_name)
    return _lists[type_name]


botocore.loaders.JSONFileLoader.load_file = load_file
botocore.loaders.Loader.list_available_services = list_available_services

base = dict(os.environ)
for line in sys.stdin:
    case = json.loads(line)
    os.environ.clear()
    os.environ.update(base)
    os.environ.update(case.get('env', {}))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = awscli.clidriver.create_clidriver().main(case['args'])
        except SystemExit as e:
            code = e.code
    print(json.dumps({'code': code, 'stdout': out.getvalue(), 'stderr': err.getvalue()}), flush=True)
