"""A tiny OpenID Connect provider for tests, served over HTTP on loopback by a thread.

It does what the national identity provider does in the authorization-code flow: the authorization
endpoint redirects back with a code (checking the client and the PKCE challenge), the token endpoint
returns an RS256 id_token signed with a key generated here, and the JWKS and userinfo endpoints answer.
Tests change `claims`, `audience` or `signing_key` to make it misbehave.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlparse
from wsgiref.simple_server import WSGIRequestHandler, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "cong-dich-vu-cong-tinh"
CLIENT_SECRET = "bi-mat-cua-ung-dung-thu-nghiem"  # noqa: S105  (test provider only)


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class LoopbackProvider:
    def __init__(self):
        self.key = _new_key()
        self.signing_key = self.key  # what the id_token is signed with; the JWKS always publishes self.key
        self.kid = secrets.token_hex(4)
        self.claims: dict = {}
        self.audience = CLIENT_ID
        self.pending: dict[str, dict] = {}  # code → what the token endpoint needs to check
        self.tokens: dict[str, dict] = {}  # access token → userinfo claims
        self.requests: list[str] = []
        self._server = make_server("127.0.0.1", 0, self._app, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        if self._thread.is_alive():  # shutdown() of a server no longer serving would wait forever
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._server.server_close()

    def settings(self) -> dict:
        return {
            "OIDC_ENABLED": True, "OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize", "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo", "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_OP_ISSUER": self.url, "OIDC_RP_SIGN_ALGO": "RS256",
        }

    # --- the WSGI application ---------------------------------------------------------------------

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        self.requests.append(path)
        handler = {"/authorize": self._authorize, "/token": self._token, "/jwks": self._jwks,
                   "/userinfo": self._userinfo}.get(path)
        if handler is None:
            return self._json(start_response, {"error": "not_found"}, "404 Not Found")
        return handler(environ, start_response)

    @staticmethod
    def _json(start_response, body, status="200 OK"):
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def _authorize(self, environ, start_response):
        query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return self._json(start_response, {"error": "unauthorized_client"}, "400 Bad Request")
        code = secrets.token_urlsafe(16)
        self.pending[code] = {"nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"],
                              "challenge": query.get("code_challenge"), "scope": query.get("scope", "")}
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        start_response("302 Found", [("Location", location), ("Content-Length", "0")])
        return [b""]

    def _token(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        grant = self.pending.pop(form.get("code", ""), None)
        if (grant is None or form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant["redirect_uri"]):
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        if grant["challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return self._json(start_response, {"error": "invalid_grant", "error_description": "pkce"}, "400 Bad Request")
        now = int(time.time())
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = dict(self.claims)
        id_token = jwt.encode(
            {"iss": self.url, "sub": self.claims.get("sub", "sub-1"), "aud": self.audience, "iat": now, "exp": now + 300,
             "nonce": grant["nonce"]},
            self.signing_key, algorithm="RS256", headers={"kid": self.kid},
        )
        return self._json(start_response, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300,
                                           "id_token": id_token})

    def _jwks(self, environ, start_response):
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return self._json(start_response, {"keys": [jwk | {"kid": self.kid, "alg": "RS256", "use": "sig"}]})

    def _userinfo(self, environ, start_response):
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return self._json(start_response, {"error": "invalid_token"}, "401 Unauthorized")
        return self._json(start_response, self.tokens[token])


def follow_to_callback(client, start_url: str):
    """Start the sign-in on the portal, let the provider answer, and return the portal's callback response."""
    import requests

    started = client.get(start_url)
    assert started.status_code == 302, started
    at_provider = requests.get(started["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def other_key():
    return _new_key()
