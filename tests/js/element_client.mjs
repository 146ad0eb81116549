// An Element-like Matrix client for the integration tests: matrix-js-sdk with its Rust crypto
// (the stack Element Web uses), with "exclude insecure devices" on (OnlySignedDevicesIsolationMode,
// MSC4153). Driven by the Python test over stdin/stdout, one JSON object per line:
//   in:  {"id": 1, "op": "dm", "invite": "@bot:hs"}           out: {"id": 1, "ok": true, "room": "!x"}
//   ops: dm, send {room, text, thread?, reply_to?}, ask {room, text, timeout}, edit {room, event_id, text},
//        react {room, event_id, key}, redact {room, event_id}, join {room},
//        wait_message {room, since?, msgtype?, timeout}, messages {room}, exit
// Every message the bot sends is reported with its decrypted content and the shield that
// getEncryptionInfoForEvent gives it, so the test asserts what a user would see.
import "fake-indexeddb/auto";
import readline from "node:readline";
import * as sdk from "matrix-js-sdk";
import { OnlySignedDevicesIsolationMode, EventShieldColour } from "matrix-js-sdk/lib/crypto-api/index.js";

// Only our JSON lines go to stdout: the SDK's own console output goes to stderr.
for (const level of ["log", "info", "debug", "trace", "warn"]) console[level] = (...a) => console.error(...a);

const [homeserver, userId, accessToken, deviceId, password] = process.argv.slice(2);
// The SDK logs a lot at INFO; the test only wants our JSON lines on stdout.
const logger = { trace() {}, debug() {}, info() {}, warn: (...a) => console.error("[js warn]", ...a),
    error: (...a) => console.error("[js error]", ...a), getChild() { return logger; } };

const client = sdk.createClient({ baseUrl: homeserver, userId, accessToken, deviceId, logger });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function start() {
    await client.initRustCrypto({ useIndexedDB: false });
    const crypto = client.getCrypto();
    crypto.setDeviceIsolationMode(new OnlySignedDevicesIsolationMode());
    // Like Element after sign-in: the user has cross-signing of their own.
    await crypto.bootstrapCrossSigning({
        authUploadDeviceSigningKeys: async (makeRequest) => {
            await makeRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: userId }, password });
        },
    });
    await client.startClient({ initialSyncLimit: 20 });
    await new Promise((resolve) => {
        if (client.isInitialSyncComplete()) return resolve();
        client.once(sdk.ClientEvent.Sync, () => resolve());
    });
}

async function describe(ev) {
    if (ev.isEncrypted()) await client.decryptEventIfNeeded(ev);
    let shield = null;
    let shieldReason = null;
    if (ev.isEncrypted() && !ev.isDecryptionFailure()) {
        const info = await client.getCrypto().getEncryptionInfoForEvent(ev);
        if (info) {
            shield = EventShieldColour[info.shieldColour];
            shieldReason = info.shieldReason;
        }
    }
    return {
        event_id: ev.getId(),
        sender: ev.getSender(),
        type: ev.getType(),
        content: ev.getContent(),
        original_content: ev.getOriginalContent(),
        replaced: ev.replacingEvent() ? ev.replacingEvent().getId() : null,
        encrypted: ev.isEncrypted(),
        decryption_failure: ev.isDecryptionFailure() ? String(ev.decryptionFailureReason) : null,
        shield,
        shield_reason: shieldReason,
        thread_root: ev.threadRootId ?? null,
        ts: ev.getTs(),
    };
}

function roomEvents(roomId) {
    const room = client.getRoom(roomId);
    if (!room) return [];
    const events = [...room.getLiveTimeline().getEvents()];
    for (const thread of room.getThreads()) events.push(...thread.liveTimeline.getEvents());
    // Events that relate to others (edits) may live only in the relations container.
    return events;
}

async function waitFor(what, timeoutMs, check) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const found = await check();
        if (found) return found;
        await sleep(100);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

// A message this device cannot decrypt is an answer to wait for, unless it was sent before the
// device logged in (a second device has no keys for the room's history, as in Element).
function fresh_failure(d) {
    return d.decryption_failure && !d.decryption_failure.startsWith("HISTORICAL_");
}

async function botMessage(roomId, filter, timeoutMs, what) {
    return waitFor(what, timeoutMs, async () => {
        for (const ev of roomEvents(roomId)) {
            if (ev.getSender() === userId) continue;
            if (!["m.room.message", "m.room.encrypted"].includes(ev.getType())) continue;
            const d = await describe(ev);
            if (d.type === "m.room.encrypted" && !d.decryption_failure) continue; // still decrypting
            if (filter(d)) return d;
        }
        return null;
    });
}

const seen = new Set();

async function handle(cmd) {
    switch (cmd.op) {
        case "dm": {
            const { room_id: roomId } = await client.createRoom({
                is_direct: true,
                preset: "trusted_private_chat",
                invite: [cmd.invite],
                initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
            });
            await waitFor("the bot to join", 30000, async () => {
                const room = client.getRoom(roomId);
                return room && room.getMember(cmd.invite)?.membership === "join";
            });
            return { room: roomId };
        }
        case "send": {
            const content = { msgtype: "m.text", body: cmd.text };
            if (cmd.reply_to) content["m.relates_to"] = { "m.in_reply_to": { event_id: cmd.reply_to } };
            if (cmd.thread) {
                content["m.relates_to"] = {
                    rel_type: "m.thread", event_id: cmd.thread, is_falling_back: !cmd.reply_to,
                    "m.in_reply_to": { event_id: cmd.reply_to ?? cmd.thread },
                };
            }
            const { event_id } = await client.sendEvent(cmd.room, cmd.thread ?? null, "m.room.message", content);
            return { event_id };
        }
        case "edit": {
            const content = {
                msgtype: "m.text", body: `* ${cmd.text}`,
                "m.new_content": { msgtype: "m.text", body: cmd.text },
                "m.relates_to": { rel_type: "m.replace", event_id: cmd.event_id },
            };
            const { event_id } = await client.sendEvent(cmd.room, "m.room.message", content);
            return { event_id };
        }
        case "react": {
            // As Element sends it: the js-sdk leaves reactions unencrypted even in an encrypted room.
            const { event_id } = await client.sendEvent(cmd.room, "m.reaction", {
                "m.relates_to": { rel_type: "m.annotation", event_id: cmd.event_id, key: cmd.key },
            });
            return { event_id };
        }
        case "redact": {
            const { event_id } = await client.redactEvent(cmd.room, cmd.event_id);
            return { event_id };
        }
        case "join": {
            await client.joinRoom(cmd.room);
            await waitFor(`room ${cmd.room}`, 30000, async () => client.getRoom(cmd.room));
            return {};
        }
        case "ask": {
            const { event_id } = await handle({ ...cmd, op: "send" });
            const reply = await botMessage(cmd.room, (d) => {
                const rel = (d.content["m.relates_to"] ?? {})["m.in_reply_to"];
                return (rel && rel.event_id === event_id) || fresh_failure(d);
            }, cmd.timeout ?? 30000, `the reply to ${cmd.text}`);
            seen.add(reply.event_id);
            return { event_id, reply };
        }
        case "wait_message": {
            const msg = await botMessage(cmd.room, (d) => !seen.has(d.event_id) && (fresh_failure(d) ||
                ((!cmd.msgtype || d.content.msgtype === cmd.msgtype) && (!cmd.since || d.ts >= cmd.since))),
            cmd.timeout ?? 30000, `a ${cmd.msgtype ?? ""} message`);
            seen.add(msg.event_id);
            return { message: msg };
        }
        case "wait_edit": {
            // Our view of the bot's message cmd.event_id once an edit of it has arrived.
            const found = await waitFor(`an edit of ${cmd.event_id}`, cmd.timeout ?? 30000, async () => {
                const ev = client.getRoom(cmd.room)?.findEventById(cmd.event_id);
                if (!ev || !ev.replacingEvent()) return null;
                const edit = ev.replacingEvent();
                if (edit.isEncrypted()) await client.decryptEventIfNeeded(edit);
                return ev;
            });
            const edit = found.replacingEvent();
            return { message: await describe(found), edit: await describe(edit) };
        }
        case "messages": {
            const out = [];
            for (const ev of roomEvents(cmd.room)) {
                if (ev.getSender() === userId) continue;
                if (!["m.room.message", "m.room.encrypted"].includes(ev.getType())) continue;
                out.push(await describe(ev));
            }
            return { messages: out };
        }
        case "exit":
            client.stopClient();
            return {};
        default:
            throw new Error(`unknown op ${cmd.op}`);
    }
}

await start();
process.stdout.write(JSON.stringify({ ready: true, device_id: client.getDeviceId() }) + "\n");
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
    if (!line.trim()) continue;
    const cmd = JSON.parse(line);
    try {
        const result = await handle(cmd);
        process.stdout.write(JSON.stringify({ id: cmd.id, ok: true, ...result }) + "\n");
    } catch (err) {
        process.stdout.write(JSON.stringify({ id: cmd.id, ok: false, error: String(err?.stack ?? err) }) + "\n");
    }
    if (cmd.op === "exit") break;
}
process.exit(0);
