"""The SMS gateway and the work app's group robot, sent to a real local HTTP server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from duban.notifications import channels


@pytest.fixture
def gateway():
    received, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            status, body = answers.pop(0) if answers else (200, {"errcode": 0})
            self.send_response(status)
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/send", received, answers
    server.shutdown()


def test_the_work_app_robot_gets_the_text_mentioning_the_person(gateway, settings):
    url, received, _answers = gateway
    settings.DUBAN_WORKAPP_WEBHOOK_URL = url

    channels.WorkAppWebhook().send("13800138000", "督办平台", "东门街道：请签收罗督〔2026〕1号")

    assert received == [{"msgtype": "text", "text": {"content": "东门街道：请签收罗督〔2026〕1号",
                                                     "mentioned_mobile_list": ["13800138000"]}}]  # fmt: skip


def test_a_refusing_gateway_is_a_channel_error_saying_why(gateway, settings):
    url, received, answers = gateway
    settings.DUBAN_SMS_WEBHOOK_URL = url
    answers += [(200, {"errcode": 93000}), (500, {})]

    for why in ("errcode 93000", "HTTP 500"):
        with pytest.raises(channels.ChannelError, match=why):
            channels.SMSWebhook().send("13800138000", "督办平台", "请签收")
    assert received == [{"phone": "13800138000", "text": "请签收"}] * 2

    settings.DUBAN_SMS_WEBHOOK_URL = "http://127.0.0.1:1/nothing-listens"
    with pytest.raises(channels.ChannelError, match="Connection"):
        channels.SMSWebhook().send("13800138000", "督办平台", "请签收")
