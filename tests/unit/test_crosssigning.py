"""Cross-signing and secret storage primitives (bot/matrix/crosssigning.py).

The vectors marked "js-sdk" were produced by matrix-js-sdk 43's own functions
(encodeRecoveryKey, encryptAESSecretStorageItem, calculateKeyCheck) in node; the integration test
tests/integration/test_js_client.py checks the other direction against the same code.
"""
from __future__ import annotations

import pytest

from bot.matrix import crosssigning as cs

KEY_0_31 = bytes(range(32))


def test_canonical_json_matches_the_spec_example() -> None:
    # Appendices, canonical JSON examples.
    assert cs.canonical_json({"b": "2", "a": "1"}) == b'{"a":"1","b":"2"}'
    assert cs.canonical_json({"a": "日本語"}) == '{"a":"日本語"}'.encode()
    assert cs.canonical_json({"auth": {"success": True, "mxid": "@john.doe:example.com", "profile": {
        "display_name": "John Doe", "three_pids": [{"medium": "email", "address": "john.doe@example.org"},
                                                   {"medium": "msisdn", "address": "123456789"}]}}}) == (
        b'{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":'
        b'[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},'
        b'"success":true}}'
    )


def test_signing_json_matches_the_spec_example() -> None:
    # Appendices, "Signing JSON" test vectors: SIGNING_KEY_SEED and the two signed objects.
    key = cs.SigningKey(cs.b64decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"))
    assert key.public == "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"
    signed = cs.sign_json({}, "domain", key)
    assert signed["signatures"]["domain"]["ed25519:" + key.public] == (
        "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"
    )
    signed = cs.sign_json({"one": 1, "two": "Two"}, "domain", key)
    assert signed["signatures"]["domain"]["ed25519:" + key.public] == (
        "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"
    )
    assert cs.verify_signature(signed, "domain", key.public)
    signed["two"] = "Three"
    assert not cs.verify_signature(signed, "domain", key.public)


def test_key_ids_are_unpadded_base64() -> None:
    for _ in range(20):
        key = cs.SigningKey.generate()
        assert "=" not in key.key_id and len(key.public) == 43


def test_recovery_key_round_trip_and_known_encoding() -> None:
    text = cs.encode_recovery_key(KEY_0_31)
    # js-sdk: encodeRecoveryKey([0..31])
    assert text == JS_RECOVERY_0_31
    assert cs.decode_recovery_key(text) == KEY_0_31
    assert cs.decode_recovery_key(text.replace(" ", "")) == KEY_0_31
    assert cs.decode_recovery_key("  " + text.replace(" ", "\n") + " ") == KEY_0_31


@pytest.mark.parametrize(
    "mangle, message",
    [
        (lambda t: t.replace("EsSz", "EsSZ"), "typo"),
        (lambda t: t[:-1] + ("1" if t[-1] != "1" else "2"), "typo"),
        (lambda t: t.replace(t[5], "0", 1), "not a base58"),
    ],
)
def test_recovery_key_typos_are_caught(mangle, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(cs.RecoveryKeyError, match=message):
        cs.decode_recovery_key(mangle(cs.encode_recovery_key(KEY_0_31)))


def test_recovery_key_wrong_length_or_prefix() -> None:
    # A two-byte key with a good parity byte (as the js-sdk test does).
    buf = cs.RECOVERY_KEY_PREFIX + b"\x00\x01"
    parity = 0
    for b in buf:
        parity ^= b
    with pytest.raises(cs.RecoveryKeyError, match="length"):
        cs.decode_recovery_key(cs._b58encode(buf + bytes([parity])))
    with pytest.raises(cs.RecoveryKeyError, match="prefix"):
        cs.decode_recovery_key(cs._b58encode(b"\x00\x00\x00"))


def test_secret_encryption_matches_js_sdk() -> None:
    iv = cs.b64decode(JS_IV)
    got = cs.encrypt_secret(KEY_0_31, "m.cross_signing.master", "secret seed", iv=iv)
    assert got["ciphertext"] == JS_CIPHERTEXT.rstrip("=") and got["mac"] == JS_MAC.rstrip("=")
    payload = {"iv": JS_IV, "ciphertext": JS_CIPHERTEXT, "mac": JS_MAC}  # padded, as js-sdk writes
    assert cs.decrypt_secret(KEY_0_31, "m.cross_signing.master", payload) == "secret seed"
    with pytest.raises(cs.SecretStorageError, match="bad MAC"):
        cs.decrypt_secret(KEY_0_31, "m.cross_signing.self_signing", payload)


def test_key_check_matches_js_sdk() -> None:
    desc = {"algorithm": cs.SSSS_ALGORITHM, "iv": JS_CHECK_IV, "mac": JS_CHECK_MAC}
    assert cs.check_key(KEY_0_31, desc)
    assert not cs.check_key(bytes(32), desc)
    own = cs.key_description(KEY_0_31)
    assert cs.check_key(KEY_0_31, own) and not cs.check_key(bytes(32), own)
    assert cs.b64decode(own["iv"])[8] & 0x80 == 0


def test_identity_round_trip_through_secret_storage() -> None:
    ident = cs.Identity.generate()
    key = cs.b64decode(cs.b64encode(bytes(range(1, 33))))
    content = cs.secret_storage_content(ident, key, "KEYID")
    assert content[cs.DEFAULT_KEY_TYPE] == {"key": "KEYID"}
    back = cs.identity_from_secrets(key, "KEYID", {n: content[n] for n in cs.SECRET_NAMES.values()})
    assert back == ident
    with pytest.raises(cs.SecretStorageError):
        cs.identity_from_secrets(bytes(32), "KEYID", {n: content[n] for n in cs.SECRET_NAMES.values()})
    with pytest.raises(cs.SecretStorageError, match="holds no"):
        cs.identity_from_secrets(key, "OTHER", {n: content[n] for n in cs.SECRET_NAMES.values()})


def test_upload_body_signatures_chain_to_the_master_key() -> None:
    ident = cs.Identity.generate()
    body = ident.upload_body("@bot:example.org")
    msk = cs.key_public(body["master_key"])
    assert msk == ident.master.public and body["master_key"]["usage"] == ["master"]
    assert cs.verify_signature(body["self_signing_key"], "@bot:example.org", msk)
    assert cs.verify_signature(body["user_signing_key"], "@bot:example.org", msk)
    device = {"user_id": "@bot:example.org", "device_id": "DEV", "algorithms": ["m.olm.v1.curve25519-aes-sha2"],
              "keys": {"ed25519:DEV": "x", "curve25519:DEV": "y"}, "signatures": {"@bot:example.org": {"ed25519:DEV": "s"}},
              "unsigned": {"device_display_name": "bot"}}
    signed = cs.sign_json(device, "@bot:example.org", ident.self_signing)
    assert "unsigned" not in signed and signed["signatures"]["@bot:example.org"]["ed25519:DEV"] == "s"
    assert cs.verify_signature(signed, "@bot:example.org", ident.self_signing.public)
    assert not cs.verify_signature(signed, "@bot:example.org", ident.master.public)


def test_fingerprint_groups_of_four() -> None:
    assert cs.fingerprint("abcdefghij") == "abcd efgh ij"


# Produced by matrix-js-sdk 43.0.0 in node 22 (see the module docstring).
JS_RECOVERY_0_31 = "EsSz ykH7 LCZx 7Cae cmKD wcmY JRXi Ybtu 8iQ3 t8Ez nRwK pUY1"
JS_IV = "AAECAwQFBgcAAQIDBAUGBw=="
JS_CIPHERTEXT = "PYxe/k087hD66H8="
JS_MAC = "GkzjLThrYiv/G6Pjn6dB4Bi8pAAWyIyXw+vfHV/essU="
JS_CHECK_IV = "AAECAwQFBgcAAQIDBAUGBw=="
JS_CHECK_MAC = "xr5kRrpjP8Ri8Oo20wB7/hBbfIX4JQ6icobRzb8+iF0="
