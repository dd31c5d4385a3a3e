// A second, non-Fedify HTTP signer: Joyent's http-signature 1.4.0 signs a draft-cavage POST the
// way Mastodon does (rsa-sha256 over (request-target) host date digest content-type). The
// package does not produce a Digest header, so the Digest is computed here before signing.
//
//   node joyent_signer.mjs --key key.pem --key-id URL --url INBOX_URL --body-file F [--tamper]
//
// Prints {"status": N, "body": "...", "tampered": bool} on stdout. With --tamper the signature
// and Digest are computed over the original body but one byte of the body is changed before
// it is sent, so an honest receiver must refuse it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { parseArgs } from "node:util";
import httpSignature from "http-signature";

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    key: { type: "string" },
    "key-id": { type: "string" },
    url: { type: "string" },
    "body-file": { type: "string" },
    tamper: { type: "boolean", default: false },
  },
});
for (const name of ["key", "key-id", "url", "body-file"]) {
  if (!args[name]) {
    console.error(`missing --${name}\nusage: node joyent_signer.mjs --key key.pem ` +
      "--key-id URL --url INBOX_URL --body-file F [--tamper]");
    process.exit(2);
  }
}

// Changes one byte so that the JSON stays valid (the receiver must reject it for the signature,
// not for a parse error): the first letter of "content" if there is one, else the last letter.
function tamper(body) {
  const text = body.toString("latin1");
  const marker = /"content"\s*:\s*"/.exec(text);
  let at = -1;
  if (marker) {
    for (let i = marker.index + marker[0].length; i < text.length && text[i] !== '"'; i++) {
      if (/[A-Za-z0-9]/.test(text[i])) { at = i; break; }
    }
  }
  if (at < 0) {
    for (let i = text.length - 1; i >= 0; i--) {
      if (/[A-Za-z]/.test(text[i])) { at = i; break; }
    }
  }
  if (at < 0) throw new Error("nothing to tamper with in the body");
  const changed = Buffer.from(body);
  changed[at] = changed[at] === 0x7a || changed[at] === 0x5a || changed[at] === 0x39
    ? changed[at] - 1 : changed[at] + 1;
  return changed;
}

const url = new URL(args.url);
const key = readFileSync(args.key, "utf8");
const body = readFileSync(args["body-file"]);
const client = url.protocol === "https:" ? https : http;

const result = await new Promise((resolve, reject) => {
  const request = client.request(url, { method: "POST", timeout: TIMEOUT_MS }, (response) => {
    const chunks = [];
    let size = 0;
    response.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_RESPONSE) chunks.push(chunk);
    });
    response.on("end", () => resolve({
      status: response.statusCode,
      body: Buffer.concat(chunks).toString("utf8"),
      tampered: args.tamper,
    }));
    response.on("error", reject);
  });
  request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
  request.on("error", reject);
  request.setHeader("Host", url.host);
  request.setHeader("Date", new Date().toUTCString());
  request.setHeader("Content-Type", "application/activity+json");
  request.setHeader("Accept", "application/activity+json");
  request.setHeader("Digest", `SHA-256=${createHash("sha256").update(body).digest("base64")}`);
  httpSignature.sign(request, {
    key,
    keyId: args["key-id"],
    algorithm: "rsa-sha256",
    headers: ["(request-target)", "host", "date", "digest", "content-type"],
    authorizationHeaderName: "Signature",
  });
  const sent = args.tamper ? tamper(body) : body;
  request.setHeader("Content-Length", sent.length);
  request.end(sent);
});
console.log(JSON.stringify(result));
