// The peer's node:http adapter (fedify_peer.mjs): inbox POSTs get our own signature check
// recorded, then go to Fedify; /control/ goes to the control API; the rest to Fedify.
import { createServer } from "node:http";
import { verifyRequestDetailed } from "@fedify/fedify";
import { HttpError } from "./fedify_peer_common.mjs";

const MAX_BODY = 1024 * 1024; // the same 1 MB cap Mastodon applies to inbox bodies

// Listens on HOST:PORT until SIGTERM or SIGINT.
export function serve({ HOST, PORT, ORIGIN, NAME, federation, inboxRequest, control }) {
  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on("data", (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(new HttpError(413, "body too large"));
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });
  }

  function isInboxPost(request) {
    const path = new URL(request.url).pathname;
    return request.method === "POST" && (path === "/inbox" || /^\/users\/[^/]+\/inbox$/.test(path));
  }

  // Our own, independent check of the HTTP signature with Fedify's verifier, run before Fedify's
  // inbox handler so the record says which signature scheme actually verified.
  async function checkSignature(request) {
    const headers = request.headers;
    const spec = headers.has("signature-input") ? "rfc9421"
      : headers.has("signature") ? "draft-cavage-http-signatures-12" : null;
    const result = { spec, keyId: null, verified: false, reason: null };
    if (spec == null) return result;
    const ctx = federation.createContext(request, undefined);
    const outcome = await verifyRequestDetailed(request.clone(), {
      documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader,
    }).catch((error) => ({ verified: false, reason: { type: "error", message: String(error) } }));
    result.verified = outcome.verified;
    result.keyId = outcome.verified ? outcome.key.id?.href ?? null : null;
    result.reason = outcome.verified ? null : outcome.reason;
    return result;
  }

  function json(status, value) {
    return new Response(JSON.stringify(value), {
      status, headers: { "Content-Type": "application/json" },
    });
  }

  async function handle(req) {
    const url = new URL(req.url, `http://${req.headers.host ?? `${HOST}:${PORT}`}`);
    const raw = req.method === "GET" || req.method === "HEAD" ? null : await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const request = new Request(url, { method: req.method, headers, body: raw });
    if (url.pathname.startsWith("/control/")) {
      try {
        return json(200, await control(request));
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 502;
        return json(status, { error: String(error?.message ?? error) });
      }
    }
    if (!isInboxPost(request)) return federation.fetch(request, { contextData: undefined });
    let parsed = null;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch { /* Fedify answers malformed JSON itself */ }
    const signature = await checkSignature(request);
    signature.ldSignature = parsed?.signature != null;
    signature.proof = parsed?.proof != null;
    return inboxRequest.run({ json: parsed, signature },
      () => federation.fetch(request, { contextData: undefined }));
  }

  const server = createServer((req, res) => {
    handle(req).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    }).catch((error) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (!res.headersSent) res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: String(error?.message ?? error) }));
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.listen(PORT, HOST, () => {
    console.log(`fedify peer ${NAME} listening on ${ORIGIN}`);
  });
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  }
}
