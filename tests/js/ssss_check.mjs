// Opens the bot's secret storage the way Element does (matrix-js-sdk's own functions): decode the
// recovery key, check it against the default key's description, decrypt the three cross-signing
// secrets. Prints {"key_ok": bool, "secrets": {name: base64 seed}} as one JSON line.
// Usage: node ssss_check.mjs <homeserver> <user_id> <access_token> <recovery key>
import { decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import decryptModule from "matrix-js-sdk/lib/utils/decryptAESSecretStorageItem.js";
import { calculateKeyCheck } from "matrix-js-sdk/lib/secret-storage.js";

const decrypt = decryptModule.default ?? decryptModule;
const [homeserver, userId, token, recoveryKey] = process.argv.slice(2);

async function accountData(type) {
    const url = `${homeserver}/_matrix/client/v3/user/${encodeURIComponent(userId)}/account_data/${encodeURIComponent(type)}`;
    const resp = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!resp.ok) throw new Error(`${type}: HTTP ${resp.status}`);
    return resp.json();
}

const key = decodeRecoveryKey(recoveryKey);
const { key: keyId } = await accountData("m.secret_storage.default_key");
const info = await accountData(`m.secret_storage.key.${keyId}`);
const check = await calculateKeyCheck(key, info.iv);
const keyOk = info.algorithm === "m.secret_storage.v1.aes-hmac-sha2" &&
    check.mac.replace(/=+$/, "") === info.mac.replace(/=+$/, "");
const secrets = {};
for (const name of ["m.cross_signing.master", "m.cross_signing.self_signing", "m.cross_signing.user_signing"]) {
    const content = await accountData(name);
    secrets[name] = await decrypt(content.encrypted[keyId], key, name);
}
process.stdout.write(JSON.stringify({ key_ok: keyOk, secrets }) + "\n");
