"""Signalbox's runtime for python3.9 ... python3.13 (standard library only).

Loads the handler named by _HANDLER ("package/module.function" or "package.module.function"),
then asks the Lambda Runtime API for one invocation after another and answers each with the
handler's JSON result or Lambda's error document, as the managed Python runtimes do. The
logging module's root logger writes Lambda's line format; print() output is captured as is.
"""

import json
import logging
import os
import socket
import struct
import sys
import time

_request_id = ""


class RuntimeApi:
    """HTTP/1.1 over one keep-alive socket; the server is Signalbox, which always sends Content-Length."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host = host.strip("[]")
        self.address = (self.host, int(port))
        self.sock = None
        self.buffer = b""

    def request(self, method, path, body=b"", headers=()):
        if self.sock is None:
            self.sock = socket.create_connection(self.address)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lines = [f"{method} /2018-06-01/runtime{path} HTTP/1.1", f"Host: {self.host}", f"Content-Length: {len(body)}"]
        lines.extend(f"{name}: {value}" for name, value in headers)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return self._read_response()

    def _read_response(self):
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        if headers.get("connection", "").lower() == "close":
            self.sock.close()
            self.sock = None
        return int(status_line.split(" ")[1]), headers, body

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the Runtime API closed the connection")
        self.buffer += chunk

    def next(self):
        status, headers, body = self.request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeError(f"Runtime API next answered {status}: {body[:500]!r}")
        return headers, body

    def post_response(self, request_id, body):
        status, _, answer = self.request("POST", f"/invocation/{request_id}/response", body, [("Content-Type", "application/json")])
        if status not in (202, 413):
            raise RuntimeError(f"Runtime API response answered {status}: {answer[:500]!r}")

    def post_error(self, path, error):
        headers = [("Content-Type", "application/json"), ("Lambda-Runtime-Function-Error-Type", error["errorType"])]
        self.request("POST", path, json.dumps(error).encode("utf-8"), headers)

    def respond_and_next(self, request_id, body):
        self.post_response(request_id, body)
        return self.next()

    def fail_and_next(self, request_id, error):
        self.post_error(f"/invocation/{request_id}/error", error)
        return self.next()

    def post_init_error(self, error):
        self.post_error("/init/error", error)


_FRAME = struct.Struct(">BBII")
_NEXT, _RESPONSE, _TOO_LARGE, _ERROR, _INIT_ERROR, _ANSWER = (ord(c) for c in "nrbeia")


class RuntimeChannel:
    """The same calls over Signalbox's private channel (frames over an inherited socket pair, see
    runtime-channel.ts): an answer and the next /next go out in one write, and an accepted answer
    is not acknowledged, so a warm invocation is one write and one wake-up each way."""

    def __init__(self, spec):
        fd, _, limit = spec.partition(":")
        self.limit = int(limit)
        self.sock = socket.socket(fileno=int(fd))
        # the handler's own processes do not inherit it
        self.sock.set_inheritable(False)
        self.buffer = bytearray()

    @staticmethod
    def _frame(kind, head, body=b"", flags=0):
        head = head.encode("utf-8")
        return _FRAME.pack(kind, flags, len(head), len(body)) + head + body

    def _read_frame(self):
        while len(self.buffer) < _FRAME.size:
            self._fill()
        kind, _, head_length, body_length = _FRAME.unpack_from(self.buffer)
        total = _FRAME.size + head_length + body_length
        while len(self.buffer) < total:
            self._fill()
        head = self.buffer[_FRAME.size : _FRAME.size + head_length].decode("utf-8")
        body = bytes(self.buffer[_FRAME.size + head_length : total])
        del self.buffer[:total]
        return kind, head, body

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the Runtime API closed the connection")
        self.buffer += chunk

    def _until_invocation(self):
        while True:
            kind, head, body = self._read_frame()
            if kind == _ANSWER:
                # refusals RuntimeApi raises on; it ignores an error's answer and a 413 response
                status, _, call = head.partition("\n")
                if call in ("next", "response") and status != "413":
                    raise RuntimeError(f"Runtime API {call} answered {status}: {body[:500]!r}")
                continue
            request_id, deadline_ms, arn, trace_id, client_context = head.split("\n")
            headers = {
                "lambda-runtime-aws-request-id": request_id,
                "lambda-runtime-deadline-ms": deadline_ms,
                "lambda-runtime-invoked-function-arn": arn,
                "lambda-runtime-trace-id": trace_id,
            }
            if client_context:
                headers["lambda-runtime-client-context"] = client_context
            return headers, body

    def _error_frame(self, kind, head, error, flags=0):
        body = json.dumps(error).encode("utf-8")
        # as over HTTP: an error document too large for the API arrives without a body
        return self._frame(kind, head, b"" if len(body) > self.limit else body, flags)

    def next(self):
        self.sock.sendall(self._frame(_NEXT, ""))
        return self._until_invocation()

    def respond_and_next(self, request_id, body):
        if len(body) > self.limit:
            answer = self._frame(_TOO_LARGE, f"{request_id}\n{len(body)}")
        else:
            answer = self._frame(_RESPONSE, request_id, body)
        self.sock.sendall(answer + self._frame(_NEXT, ""))
        return self._until_invocation()

    def fail_and_next(self, request_id, error):
        self.sock.sendall(self._error_frame(_ERROR, f"{request_id}\n{error['errorType']}", error) + self._frame(_NEXT, ""))
        return self._until_invocation()

    def post_init_error(self, error):
        # answered even when accepted: the process exits right after
        self.sock.sendall(self._error_frame(_INIT_ERROR, error["errorType"], error, flags=1))
        self._read_frame()


class FaultException(Exception):
    """An error the runtime raises about user code (Runtime.ImportModuleError, ...)."""

    def __init__(self, error_type, message, stack_trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def _from_dict(cls, data):
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, (data or {}).get(name))
    return obj


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, cognito_identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = _IDENTITY["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = _IDENTITY["AWS_LAMBDA_FUNCTION_VERSION"]
        # a string, as on Lambda
        self.memory_limit_in_mb = _IDENTITY["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = _IDENTITY["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = _IDENTITY["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = _from_dict(CognitoIdentity, cognito_identity)
        self.client_context = None
        if client_context is not None:
            self.client_context = _from_dict(ClientContext, client_context)
            self.client_context.client = _from_dict(Client, client_context.get("client"))
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return int(max(self._deadline_ms - time.time() * 1000, 0))

    def log(self, message):
        sys.stdout.write(str(message))

    def __repr__(self):
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},client_context={self.client_context},"
            f"identity={self.identity}])"
        )


_IDENTITY = {
    name: os.environ.get(name)
    for name in (
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
    )
}


def _write_event(text):
    """One log event: inner newlines become '\\r' (Signalbox turns them back) so it stays one event."""
    sys.stdout.write(text.replace("\n", "\r") + "\n")
    sys.stdout.flush()


class LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            _write_event(self.format(record))
        except Exception:
            self.handleError(record)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


def install_logging():
    handler = LambdaLogHandler()
    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def _stack(tb):
    import traceback

    return traceback.format_list(traceback.extract_tb(tb))


def load_handler(handler):
    try:
        module_path, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}")
    module_name = module_path.replace("/", ".")
    try:
        import importlib

        module = importlib.import_module(module_name)
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {e}")
    except SyntaxError as e:
        trace = [f'  File "{e.filename}" Line {e.lineno}\n    {(e.text or "").strip()}\n']
        raise FaultException("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {e}", trace)
    fn = getattr(module, function_name, None)
    if fn is None:
        raise FaultException("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return fn


def error_document(exc):
    if isinstance(exc, FaultException):
        return {"errorMessage": exc.message, "errorType": exc.error_type, "requestId": _request_id, "stackTrace": exc.stack_trace}
    # the first frame is this runtime calling the handler
    tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
    return {"errorMessage": str(exc), "errorType": type(exc).__name__, "requestId": _request_id, "stackTrace": _stack(tb)}


def log_error(error):
    text = f"[ERROR] {error['errorType']}: {error['errorMessage']}"
    if error["stackTrace"]:
        text += "\nTraceback (most recent call last):\n" + "".join(error["stackTrace"])
    _write_event(text.rstrip("\n"))


def _json_default(value):
    import decimal  # only when a result needs it: a few milliseconds off every cold start

    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def serve(api, handler):
    global _request_id
    headers, body = api.next()
    while True:
        _request_id = headers.get("lambda-runtime-aws-request-id", "")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        client_context = headers.get("lambda-runtime-client-context")
        cognito = headers.get("lambda-runtime-cognito-identity")
        context = LambdaContext(
            _request_id,
            int(headers.get("lambda-runtime-deadline-ms", "0")),
            headers.get("lambda-runtime-invoked-function-arn"),
            json.loads(client_context) if client_context else None,
            json.loads(cognito) if cognito else None,
        )
        try:
            event = json.loads(body) if body else None
            result = handler(event, context)
            try:
                payload = json.dumps(result, default=_json_default).encode("utf-8")
            except Exception as e:
                raise FaultException("Runtime.MarshalError", f"Unable to marshal response: {e}")
        except Exception as e:
            error = error_document(e)
            log_error(error)
            sys.stderr.flush()
            headers, body = api.fail_and_next(_request_id, error)
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        headers, body = api.respond_and_next(_request_id, payload)


def runtime_api():
    """The private channel when Signalbox offers one (and it reached us), else the HTTP Runtime API.
    Its variable is the runtime's business, not the function's: it leaves the environment here."""
    channel = os.environ.pop("_SIGNALBOX_RUNTIME_CHANNEL", None)
    if channel:
        try:
            return RuntimeChannel(channel)
        except OSError:
            pass  # a wrapper script closed its fd: HTTP does the same
    return RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])


def main():
    # our own folder must not shadow the function's modules; the task root comes first
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    api = runtime_api()
    install_logging()
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        error = error_document(e)
        log_error(error)
        api.post_init_error(error)
        sys.exit(1)
    serve(api, handler)


if __name__ == "__main__":
    main()
