"""Cross-signing and secret storage, the pure parts: keys, signatures, encodings. No HTTP here.

matrix-nio has no cross-signing (its issue #229), and Element with "exclude insecure devices"
(MSC4153) neither sends to nor shows messages from a device that its owner has not cross-signed.
So the bot makes its own identity: three Ed25519 keys (master, self-signing, user-signing) made
with ``cryptography``, the device signed by the self-signing key, the self-signing key by the
master key. What is here follows the spec's appendices (canonical JSON, signing JSON, unpadded
base64, the recovery-key encoding) and the client-server API's secret storage section
(``m.secret_storage.v1.aes-hmac-sha2``); it is checked against matrix-js-sdk's own code in the tests.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: The three cross-signing keys, by the name of their secret in secret storage.
SECRET_NAMES = {
    "master": "m.cross_signing.master",
    "self_signing": "m.cross_signing.self_signing",
    "user_signing": "m.cross_signing.user_signing",
}
SSSS_ALGORITHM = "m.secret_storage.v1.aes-hmac-sha2"
DEFAULT_KEY_TYPE = "m.secret_storage.default_key"
RECOVERY_KEY_PREFIX = bytes([0x8B, 0x01])
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class RecoveryKeyError(ValueError):
    """A recovery key that is mistyped (wrong characters, length, prefix or parity)."""


class SecretStorageError(ValueError):
    """Secret storage that cannot be opened with the key we were given."""


# --- encodings ----------------------------------------------------------------------------------
def b64encode(data: bytes) -> str:
    """Unpadded standard base64, as the spec wants it (matrix-rust-sdk drops padded key IDs)."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not (clients write both)."""
    text = text.strip().replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def canonical_json(obj: Any) -> bytes:
    """The spec's canonical JSON: sorted keys, no spaces, UTF-8, no floats."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode("utf-8")


def _b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def _b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        i = _B58.find(ch)
        if i < 0:
            raise RecoveryKeyError(f"the recovery key contains {ch!r}, which is not a base58 character")
        n = n * 58 + i
    pad = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * pad + body


def encode_recovery_key(key: bytes) -> str:
    """The 32-byte secret-storage key as people type it: ``EsT... ...`` in groups of four."""
    if len(key) != 32:
        raise ValueError("a recovery key holds 32 bytes")
    buf = RECOVERY_KEY_PREFIX + key
    parity = 0
    for b in buf:
        parity ^= b
    text = _b58encode(buf + bytes([parity]))
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def decode_recovery_key(text: str) -> bytes:
    """The 32-byte key from its typed form; spaces and line breaks are ignored."""
    raw = _b58decode("".join(text.split()))
    parity = 0
    for b in raw:
        parity ^= b
    if parity != 0:
        raise RecoveryKeyError("the recovery key has a typo (its check byte does not match)")
    if raw[:2] != RECOVERY_KEY_PREFIX:
        raise RecoveryKeyError("this is not a Matrix recovery key (wrong prefix)")
    if len(raw) != len(RECOVERY_KEY_PREFIX) + 32 + 1:
        raise RecoveryKeyError("the recovery key has the wrong length")
    return raw[2:34]


# --- signing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SigningKey:
    """One cross-signing key: the 32-byte Ed25519 seed, which is what secret storage holds."""

    seed: bytes

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(secrets.token_bytes(32))

    @classmethod
    def from_b64(cls, text: str) -> SigningKey:
        seed = b64decode(text)
        if len(seed) != 32:
            raise ValueError("a cross-signing private key is 32 bytes")
        return cls(seed)

    @property
    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public(self) -> str:
        """The public key, unpadded base64; also the key's ID after ``ed25519:``."""
        raw = self._private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return b64encode(raw)

    @property
    def key_id(self) -> str:
        return f"ed25519:{self.public}"

    def seed_b64(self) -> str:
        return b64encode(self.seed)

    def sign_bytes(self, message: bytes) -> str:
        return b64encode(self._private.sign(message))


def signable(obj: dict[str, Any]) -> bytes:
    """What a Matrix signature covers: the object without ``signatures`` and ``unsigned``."""
    return canonical_json({k: v for k, v in obj.items() if k not in ("signatures", "unsigned")})


def sign_json(obj: dict[str, Any], user_id: str, key: SigningKey) -> dict[str, Any]:
    """A copy of ``obj`` with our signature added next to any it already has."""
    out = copy.deepcopy(obj)
    out.pop("unsigned", None)
    sig = key.sign_bytes(signable(obj))
    out.setdefault("signatures", {}).setdefault(user_id, {})[key.key_id] = sig
    return out


def verify_signature(obj: dict[str, Any], user_id: str, public_key: str) -> bool:
    """Whether ``obj`` carries a valid signature by ``user_id``'s Ed25519 key ``public_key``."""
    sig = (obj.get("signatures") or {}).get(user_id, {}).get(f"ed25519:{public_key}")
    if not isinstance(sig, str):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(b64decode(public_key)).verify(b64decode(sig), signable(obj))
    except (InvalidSignature, ValueError):
        return False
    return True


def cross_signing_key(user_id: str, usage: str, key: SigningKey) -> dict[str, Any]:
    """The public object for ``/keys/device_signing/upload`` (unsigned)."""
    return {"user_id": user_id, "usage": [usage], "keys": {key.key_id: key.public}}


def key_public(obj: dict[str, Any] | None) -> str | None:
    """The Ed25519 public key of a cross-signing key object from ``/keys/query``."""
    if not isinstance(obj, dict):
        return None
    keys = obj.get("keys")
    if not isinstance(keys, dict):
        return None
    for key_id, value in keys.items():
        if isinstance(key_id, str) and key_id.startswith("ed25519:") and isinstance(value, str):
            return value
    return None


@dataclass(frozen=True)
class Identity:
    """The bot's cross-signing identity: what ``data_dir`` and secret storage keep."""

    master: SigningKey
    self_signing: SigningKey
    user_signing: SigningKey

    @classmethod
    def generate(cls) -> Identity:
        return cls(SigningKey.generate(), SigningKey.generate(), SigningKey.generate())

    def keys(self) -> dict[str, SigningKey]:
        return {"master": self.master, "self_signing": self.self_signing, "user_signing": self.user_signing}

    def upload_body(self, user_id: str) -> dict[str, Any]:
        """The three public keys, the self-signing and user-signing ones signed by the master."""
        return {
            "master_key": cross_signing_key(user_id, "master", self.master),
            "self_signing_key": sign_json(cross_signing_key(user_id, "self_signing", self.self_signing), user_id, self.master),
            "user_signing_key": sign_json(cross_signing_key(user_id, "user_signing", self.user_signing), user_id, self.master),
        }

    def to_json(self) -> dict[str, str]:
        return {name: key.seed_b64() for name, key in self.keys().items()}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Identity:
        return cls(*(SigningKey.from_b64(raw[name]) for name in ("master", "self_signing", "user_signing")))


def fingerprint(public_key: str) -> str:
    """The master key as people compare it: its base64 in groups of four, as Element shows keys."""
    return " ".join(public_key[i:i + 4] for i in range(0, len(public_key), 4))


# --- secret storage -----------------------------------------------------------------------------
def _derive(key: bytes, name: str) -> tuple[bytes, bytes]:
    """HKDF-SHA256, 32 zero bytes of salt, the secret's name as info: an AES and an HMAC key."""
    okm = HKDF(algorithm=hashes.SHA256(), length=64, salt=bytes(32), info=name.encode("utf-8")).derive(key)
    return okm[:32], okm[32:]


def encrypt_secret(key: bytes, name: str, plaintext: str, *, iv: bytes | None = None) -> dict[str, str]:
    """AES-256-CTR then HMAC-SHA256 over the ciphertext (``m.secret_storage.v1.aes-hmac-sha2``)."""
    if iv is None:
        fresh = bytearray(os.urandom(16))
        fresh[8] &= 0x7F  # bit 63 clear: a 64-bit counter never wraps (Android decrypts with one)
        iv = bytes(fresh)
    aes_key, mac_key = _derive(key, name)
    enc = Cipher(algorithms.AES(aes_key), modes.CTR(iv)).encryptor()
    ciphertext = enc.update(plaintext.encode("utf-8")) + enc.finalize()
    mac = hmac.new(mac_key, ciphertext, hashlib.sha256).digest()
    return {"iv": b64encode(iv), "ciphertext": b64encode(ciphertext), "mac": b64encode(mac)}


def decrypt_secret(key: bytes, name: str, payload: dict[str, Any]) -> str:
    try:
        iv, ciphertext, mac = (b64decode(payload[k]) for k in ("iv", "ciphertext", "mac"))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise SecretStorageError(f"secret {name} is malformed") from None
    aes_key, mac_key = _derive(key, name)
    if not hmac.compare_digest(hmac.new(mac_key, ciphertext, hashlib.sha256).digest(), mac):
        raise SecretStorageError(f"secret {name} does not open with this recovery key (bad MAC)")
    dec = Cipher(algorithms.AES(aes_key), modes.CTR(iv)).decryptor()
    return (dec.update(ciphertext) + dec.finalize()).decode("utf-8")


def key_description(key: bytes, *, name: str = "renewal-bot recovery key") -> dict[str, Any]:
    """The content of ``m.secret_storage.key.<id>``: the key check is 32 zero bytes encrypted
    under the empty name, so a client can tell a wrong key before it tries any secret."""
    check = encrypt_secret(key, "", "\0" * 32)
    return {"algorithm": SSSS_ALGORITHM, "name": name, "iv": check["iv"], "mac": check["mac"]}


def check_key(key: bytes, description: dict[str, Any]) -> bool:
    """Whether ``key`` is the one ``description`` (``m.secret_storage.key.<id>``) was made for."""
    if description.get("algorithm") != SSSS_ALGORITHM:
        return False
    iv, mac = description.get("iv"), description.get("mac")
    if not isinstance(iv, str) or not isinstance(mac, str):
        return True  # old clients wrote no check; the secrets' own MACs still guard us
    try:
        expected = encrypt_secret(key, "", "\0" * 32, iv=b64decode(iv))["mac"]
        return hmac.compare_digest(b64decode(expected), b64decode(mac))
    except ValueError:
        return False


def new_key_id() -> str:
    return secrets.token_urlsafe(24).replace("-", "").replace("_", "")[:32]


def secret_storage_content(
    identity: Identity, key: bytes, key_id: str
) -> dict[str, dict[str, Any]]:
    """Account data (type -> content) that stores the identity under ``key``, made default."""
    out: dict[str, dict[str, Any]] = {
        f"m.secret_storage.key.{key_id}": key_description(key),
        DEFAULT_KEY_TYPE: {"key": key_id},
    }
    for short, name in SECRET_NAMES.items():
        out[name] = {"encrypted": {key_id: encrypt_secret(key, name, identity.keys()[short].seed_b64())}}
    return out


def identity_from_secrets(key: bytes, key_id: str, secrets_by_name: dict[str, dict[str, Any] | None]) -> Identity:
    """Open the three cross-signing secrets with ``key`` (raises :class:`SecretStorageError`)."""
    seeds: dict[str, str] = {}
    for short, name in SECRET_NAMES.items():
        content = secrets_by_name.get(name) or {}
        payload = (content.get("encrypted") or {}).get(key_id)
        if not isinstance(payload, dict):
            raise SecretStorageError(f"secret storage holds no {name} under key {key_id}")
        seeds[short] = decrypt_secret(key, name, payload)
    try:
        return Identity.from_json(seeds)
    except ValueError as exc:
        raise SecretStorageError(f"a cross-signing secret is malformed: {exc}") from None
