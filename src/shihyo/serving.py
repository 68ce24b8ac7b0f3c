"""`shihyo serve`: waitress behind a reverse proxy, and the settings a server reachable by others needs.

Behind a TLS-terminating proxy the proxy speaks plain HTTP to shihyo and says what the client used in
`X-Forwarded-Proto` (and who the client is in `X-Forwarded-For`). Those headers are believed only when the
request comes from an address in SHIHYO_TRUSTED_PROXIES; from anyone else they are removed before Django sees
them, so a client cannot claim to be https or another address. Waitress's own parser does the reading
(`waitress.proxy_headers`); this module chooses, per request, whether the peer is trusted.

Production mode is a server that others can reach: SHIHYO_HTTPS=1, or listening on an address other than
loopback. It refuses to start with the public development secret key.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from shihyo.core.problems import UserError

WSGIApp = Callable[..., Any]
KNOWN_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"})
DEFAULT_HEADERS = ("x-forwarded-proto", "x-forwarded-for")
SECRET_KEY_HELP_EN = (
    "set SHIHYO_SECRET_KEY in the service's environment to 50 or more random characters, e.g. the output of "
    '`python -c "import secrets; print(secrets.token_urlsafe(50))"` (README: Deployment)'
)
SECRET_KEY_HELP_JA = (
    "サービスの環境変数 SHIHYO_SECRET_KEY に 50 字以上のランダムな文字列を設定してください"
    '（例: `python -c "import secrets; print(secrets.token_urlsafe(50))"` の出力。README の「Deployment」）'
)


@dataclass(frozen=True)
class ProxySettings:
    """Which peers may speak for the client, and which of their headers are believed."""

    trusted: frozenset[str]  # addresses of the proxies; "*" trusts every peer
    headers: frozenset[str]
    count: int = 1  # how many proxies in a row add to X-Forwarded-For

    @property
    def enabled(self) -> bool:
        return bool(self.trusted)

    def trusts(self, peer: str) -> bool:
        return "*" in self.trusted or peer in self.trusted


def parse_proxy_settings(trusted: str, headers: str, count: str) -> ProxySettings:
    """SHIHYO_TRUSTED_PROXIES, SHIHYO_PROXY_HEADERS and SHIHYO_PROXY_COUNT read, or a user error saying why not."""
    addresses: set[str] = set()
    for item in (part.strip() for part in trusted.split(",")):
        if not item:
            continue
        if item != "*":
            try:
                item = str(ipaddress.ip_address(item))
            except ValueError:
                raise UserError(
                    ja=f"SHIHYO_TRUSTED_PROXIES の「{item[:60]}」は IP アドレスではありません"
                    "（例: 127.0.0.1,10.0.0.5）",
                    en=f"SHIHYO_TRUSTED_PROXIES: '{item[:60]}' is not an IP address (e.g. 127.0.0.1,10.0.0.5)",
                ) from None
        addresses.add(item)
    names = {h.strip().lower() for h in headers.split(",") if h.strip()} or set(DEFAULT_HEADERS)
    unknown = sorted(names - KNOWN_HEADERS)
    if unknown:
        allowed = ", ".join(sorted(KNOWN_HEADERS))
        raise UserError(
            ja=f"SHIHYO_PROXY_HEADERS の {', '.join(unknown)} は使えません（使えるもの: {allowed}）",
            en=f"SHIHYO_PROXY_HEADERS: {', '.join(unknown)} cannot be used (allowed: {allowed})",
        )
    if not count.strip().isdigit() or not 1 <= int(count) <= 10:
        raise UserError(
            ja=f"SHIHYO_PROXY_COUNT は 1〜10 の整数です（「{count[:20]}」）",
            en=f"SHIHYO_PROXY_COUNT must be a whole number from 1 to 10 (not '{count[:20]}')",
        )
    return ProxySettings(frozenset(addresses), frozenset(names), int(count))


def behind_proxies(application: WSGIApp, proxies: ProxySettings) -> WSGIApp:
    """The application with proxy headers read from trusted peers and removed from everyone else."""
    from waitress.proxy_headers import proxy_headers_middleware

    untrusted = proxy_headers_middleware(application, trusted_proxy=None, clear_untrusted=True)
    if not proxies.enabled:
        return untrusted
    trusted = proxy_headers_middleware(
        application,
        trusted_proxy="*",
        trusted_proxy_count=proxies.count,
        trusted_proxy_headers=set(proxies.headers),
        clear_untrusted=True,
    )

    def dispatch(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        peer = str(environ.get("REMOTE_ADDR", ""))
        chosen: WSGIApp = trusted if proxies.trusts(peer) else untrusted
        result: Iterable[bytes] = chosen(environ, start_response)
        return result

    return dispatch


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def production_mode(host: str, https: bool) -> bool:
    """A server others can reach: behind HTTPS, or listening beyond this computer."""
    return https or not is_loopback(host)


def secret_key_is_default(secret_key: str, development_key: str) -> bool:
    return secret_key == development_key or len(secret_key) < 50


def refuse_default_key(host: str) -> None:
    """The user error `shihyo serve` stops with in production mode without a secret key of its own."""
    raise UserError(
        ja=f"本番モード（SHIHYO_HTTPS=1 または {host} で待ち受け）では公開の開発用の秘密鍵では起動しません。"
        + SECRET_KEY_HELP_JA,
        en=f"shihyo does not start in production mode (SHIHYO_HTTPS=1 or listening on {host}) with the public "
        "development secret key: " + SECRET_KEY_HELP_EN,
    )


def development_key_warning() -> str:
    return (
        "warning: the public development secret key is in use (SHIHYO_SECRET_KEY is not set): fine on this "
        "computer only — anyone who knows it can forge sessions. "
        + SECRET_KEY_HELP_EN
    )


def proxy_warning(https: bool, proxies: ProxySettings) -> str | None:
    """What to say when the settings cannot work together: HTTPS behind a proxy that is not trusted."""
    if https and not proxies.enabled:
        return (
            "warning: SHIHYO_HTTPS=1 but SHIHYO_TRUSTED_PROXIES is not set: X-Forwarded-Proto is ignored, so every "
            "request through the proxy is redirected to https again. Set SHIHYO_TRUSTED_PROXIES to the proxy's "
            "address (README: Deployment)"
        )
    return None
