"""A test harness written with Python's standard library only: it starts
backupapi-fake and drives it through the control API (a fault, a call
count with masked secrets, a clock advance, failing jobs, a reset). Run by
TestAPythonHarnessDrivesTheControlAPI; BACKUPAPI_FAKE names the binary."""

import base64
import json
import os
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

fake = os.environ["BACKUPAPI_FAKE"]
proc = subprocess.Popen(
    [fake, "--addr", "127.0.0.1:0", "--clock", "2026-11-23T00:00:00Z", "--job-duration", "1m"],
    stdout=subprocess.PIPE, text=True)
env = {}
try:
    for line in proc.stdout:
        line = line.rstrip("\n")
        if line.startswith("READY "):
            break
        name, _, value = line.partition("=")
        env[name] = value
    tls = ssl.create_default_context(cafile=env["CA_FILE"])

    def call(method, url, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, context=tls) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def control(method, path, body=None):
        return call(method, env["CONTROL_URL"] + path, body, {"Authorization": "Bearer " + env["CONTROL_TOKEN"]})

    basic = "Basic " + base64.b64encode((env["XCLARITY_USER"] + ":" + env["XCLARITY_PASSWORD"]).encode()).decode()

    def lxca(method, path, body=None):
        return call(method, env["XCLARITY_URL"] + path, body, {"Authorization": basic})

    def job_status(job_id):
        status, jobs = lxca("GET", "/tasks/" + job_id)
        assert status == 200, (status, jobs)
        return jobs[0]["status"]

    def start_copy(destination):
        status, out = lxca("PUT", "/managementServer/data", {"action": "start", "operation": "copy",
                                                             "UUID": "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278",
                                                             "destination": destination})
        assert status == 200, (status, out)
        return out["jobId"]

    status, _ = call("GET", env["CONTROL_URL"] + "/calls")
    assert status == 401, status
    print("ok: 401 without the token")

    status, out = control("POST", "/faults", {"op": "Login", "status": 503, "times": 1})
    assert status == 200, out
    login = {"UserId": env["XCLARITY_USER"], "password": env["XCLARITY_PASSWORD"]}
    status, _ = call("POST", env["XCLARITY_URL"] + "/sessions", login)
    assert status == 503, status
    status, _ = call("POST", env["XCLARITY_URL"] + "/sessions", login)
    assert status == 200, status
    print("ok: fault injected and spent")

    status, calls = control("GET", "/calls?last=10")
    assert calls["counts"]["xclarity"]["Login"] == 1, calls["counts"]
    assert env["XCLARITY_PASSWORD"] not in json.dumps(calls), "the password is masked"
    assert json.loads(calls["requests"][-1]["body"])["password"] == "***", calls["requests"][-1]
    print("ok: call counted, secrets masked")

    job = start_copy("/mnt/share")
    assert job_status(job) == "Pending", job_status(job)
    status, clock = control("POST", "/clock", {"advance": "2m"})
    assert clock["now"] == "2026-11-23T00:02:00Z", clock
    assert job_status(job) == "Complete", job_status(job)
    print("ok: clock advanced, job finished")

    status, out = control("POST", "/jobs", {"xclarityOutcome": "Stopped_With_Error"})
    assert status == 200, out
    job = start_copy("/mnt/other")
    control("POST", "/clock", {"advance": "2m"})
    assert job_status(job) == "Stopped_With_Error", job_status(job)
    print("ok: jobs fail when told")

    status, out = control("POST", "/faults", {"op": "Logn", "status": 503})
    assert status == 400 and "Login" in out["error"], out
    status, out = control("POST", "/seed", {"ahsay": {"users": [{"loginName": "alice", "Sets": []}]}})
    assert status == 400 and out["problems"][0]["path"] == "ahsay.users[0].Sets", out
    print("ok: wrong names refused with the valid ones and the key's path")

    status, _ = control("POST", "/reset")
    assert status == 200
    status, calls = control("GET", "/calls")
    assert calls["counts"]["xclarity"]["Login"] == 0, calls["counts"]
    print("ok: reset")
finally:
    proc.terminate()
    rest = proc.stdout.read()
    code = proc.wait(timeout=10)
assert code == 0 and "stopped" in rest, (code, rest)
print("PASS")
