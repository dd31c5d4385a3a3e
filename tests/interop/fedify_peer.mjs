// An independent ActivityPub actor built only with Fedify 2.3.6's own APIs, run on loopback by
// civicpub's interop tests. Everything federation-related (actor document, WebFinger, key
// publication, inbox signature checks, outbound signing and delivery) is Fedify's code, not
// ours: that is the point of an interop peer. Our code is only glue: a node:http adapter, an
// in-memory state and a JSON control API under /control/ that tests use to drive the actor.
//
//   node fedify_peer.mjs --port PORT [--name NAME] [--host 127.0.0.X]
//
// Set FEDIFY_PEER_DEBUG=1 to get Fedify's own debug log on stderr.
import { AsyncLocalStorage } from "node:async_hooks";
import { createServer } from "node:http";
import { randomUUID, KeyObject } from "node:crypto";
import { parseArgs } from "node:util";
// Fedify's vocabulary takes Temporal values from this polyfill (a dependency of @fedify/vocab,
// pinned by the lock file); Node 20 has no global Temporal.
import { Temporal } from "@js-temporal/polyfill";
import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
  signRequest,
  verifyRequestDetailed,
} from "@fedify/fedify";
import {
  Accept, Announce, Create, Delete, Endpoints, Follow, Mention, Note, Person, PUBLIC_COLLECTION,
  Reject, Tombstone, Undo, Update,
} from "@fedify/vocab";
import { groupControl, installGroupListeners } from "./fedify_peer_groups.mjs";
import { pollControl } from "./fedify_peer_polls.mjs";

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    name: { type: "string", default: "peer" },
    host: { type: "string", default: "127.0.0.1" },
  },
});
const PORT = Number(args.port);
const NAME = args.name;
// Loopback only (tests never reach another address); each peer may take its own 127.0.0.X so
// that several peers have different hosts, as real servers do.
const HOST = args.host;
if (!Number.isInteger(PORT) || PORT <= 0 || !/^[a-z0-9_]+$/.test(NAME) ||
    !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(HOST)) {
  console.error("usage: node fedify_peer.mjs --port PORT [--name NAME] [--host 127.x.y.z]" +
    "  (name: [a-z0-9_]+)");
  process.exit(2);
}
const ORIGIN = `http://${HOST}:${PORT}`;
const MAX_BODY = 1024 * 1024; // the same 1 MB cap Mastodon applies to inbox bodies
const FETCH_TIMEOUT_MS = 10_000;

if (process.env.FEDIFY_PEER_DEBUG === "1") {
  const { configure, getConsoleSink } = await import("@logtape/logtape");
  await configure({
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: "fedify", lowestLevel: "debug", sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}

// --- state (memory only: a peer lives for one test) -----------------------------------------

// Both key types Fedify supports for actors: RSA for HTTP Signatures (what Mastodon accepts) and
// Ed25519 for Object Integrity Proofs. Fedify publishes the first as publicKey and all of them
// as assertionMethod Multikeys.
const keyPairs = [
  await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
  await generateCryptoKeyPair("Ed25519"),
];
const received = []; // {type, id, actor, recipient, activity, signature, receivedAt}
const followers = new Map(); // follower actor id -> {id, inboxId, endpoints, followId}
const following = new Map(); // target actor id -> {state, followId, follow (JSON-LD)}
const notes = new Map(); // note id -> {note (Note), recipients, deleted}
const inboxRequest = new AsyncLocalStorage(); // raw body + our own signature check per POST

// --- federation ----------------------------------------------------------------------------

const federation = createFederation({
  kv: new MemoryKvStore(),
  origin: ORIGIN,
  allowPrivateAddress: true, // loopback peers over plain http; test use only
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== NAME) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `Fedify peer ${identifier}`,
      summary: "Interop test peer (Fedify 2.3.6)",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      manuallyApprovesFollowers: false,
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => (identifier === NAME ? keyPairs : []));

federation
  .setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
    if (identifier !== NAME) return null;
    return {
      items: [...followers.values()].map((f) => ({
        id: f.id, inboxId: f.inboxId, endpoints: f.endpoints,
      })),
    };
  })
  .setCounter((_ctx, identifier) => (identifier === NAME ? followers.size : null));

federation.setObjectDispatcher(Note, "/users/{identifier}/notes/{id}", (ctx, values) => {
  const entry = notes.get(ctx.getObjectUri(Note, values).href);
  return entry && !entry.deleted ? entry.note : null;
});

// Records an activity Fedify let through (it verified the sender before calling any listener),
// with the bytes as received and the result of our own independent signature check.
async function record(ctx, activity) {
  const request = inboxRequest.getStore();
  const json = request?.json ?? (await activity.toJsonLd());
  received.push({
    type: Array.isArray(json.type) ? json.type[0] : json.type,
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    recipient: ctx.recipient,
    activity: json,
    signature: request?.signature ?? null,
    receivedAt: new Date().toISOString(),
  });
}

// Does an activity's object refer to the follow we sent (embedded or by id)?
function findFollowing(objectId, actorId) {
  for (const [target, entry] of following) {
    if (objectId != null && entry.followId === objectId) return [target, entry];
  }
  const byActor = actorId == null ? undefined : following.get(actorId);
  return byActor ? [actorId, byActor] : [null, null];
}

const inboxListeners = federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    await record(ctx, follow);
    if (follow.objectId?.href !== ctx.getActorUri(NAME).href || follow.actorId == null) return;
    const follower = await follow.getActor(ctx);
    if (follower?.id == null || follower.inboxId == null) return;
    followers.set(follower.id.href, {
      id: follower.id, inboxId: follower.inboxId, endpoints: follower.endpoints,
      followId: follow.id?.href ?? null,
    });
    await ctx.sendActivity({ identifier: NAME }, follower, new Accept({
      id: new URL(`${ctx.getActorUri(NAME).href}#accepts/${randomUUID()}`),
      actor: ctx.getActorUri(NAME),
      object: follow,
    }));
  })
  .on(Accept, async (ctx, accept) => {
    await record(ctx, accept);
    const [, entry] = findFollowing(accept.objectId?.href ?? null, accept.actorId?.href);
    if (entry) entry.state = "accepted";
  })
  .on(Reject, async (ctx, reject) => {
    await record(ctx, reject);
    const [, entry] = findFollowing(reject.objectId?.href ?? null, reject.actorId?.href);
    if (entry) entry.state = "rejected";
  })
  .on(Undo, async (ctx, undo) => {
    await record(ctx, undo);
    const actorId = undo.actorId?.href;
    const entry = actorId && followers.get(actorId);
    if (!entry) return;
    // Match on (actor, object): the Follow may be embedded or referenced only by its id.
    const object = await undo.getObject(ctx).catch(() => null);
    const isFollow = object instanceof Follow || undo.objectId?.href === entry.followId;
    if (isFollow) followers.delete(actorId);
  })
  .on(Create, record)
  .on(Update, record)
  .on(Delete, record)
  .on(Announce, record)
  .onError((_ctx, error) => console.error("inbox listener error:", error));
installGroupListeners(inboxListeners, record);

// --- control API (tests only) ----------------------------------------------------------------

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function need(body, field, kind = "string") {
  const value = body[field];
  const ok = kind === "array" ? Array.isArray(value) : typeof value === kind;
  if (!ok) throw new HttpError(400, `"${field}" must be a ${kind}`);
  return value;
}

async function lookupActor(ctx, url) {
  const actor = await ctx.lookupObject(url);
  if (actor?.id == null || actor.inboxId == null) {
    throw new HttpError(502, `${url} did not resolve to an actor with an inbox`);
  }
  return actor;
}

async function follow(ctx, target) {
  const actor = await lookupActor(ctx, target);
  const activity = new Follow({
    id: new URL(`${ORIGIN}/follows/${randomUUID()}`),
    actor: ctx.getActorUri(NAME),
    object: actor.id,
  });
  following.set(actor.id.href, {
    state: "pending", followId: activity.id.href, follow: await activity.toJsonLd(),
  });
  await ctx.sendActivity({ identifier: NAME }, actor, activity);
  return { actor: actor.id.href, followId: activity.id.href };
}

// Fedify resolves acct: handles over https only, so the handle is resolved here over plain
// http with WebFinger and the actor URL handed to Fedify.
async function resolveHandle(handle) {
  const match = /^@?([^@\s]+)@([^@\s/]+)$/.exec(handle);
  if (!match) throw new HttpError(400, `not a handle: ${handle}`);
  const resource = `acct:${match[1]}@${match[2]}`;
  const url = `http://${match[2]}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
  const response = await fetch(url, {
    headers: { Accept: "application/jrd+json" },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new HttpError(502, `WebFinger ${url} answered ${response.status}`);
  const jrd = await response.json();
  const self = (jrd.links ?? []).find((link) => link.rel === "self" &&
    /^application\/(activity\+json|ld\+json)/.test(link.type ?? ""));
  if (!self?.href) throw new HttpError(502, `WebFinger for ${resource} has no AS2 self link`);
  return self.href;
}

async function unfollow(ctx, target) {
  const entry = following.get(target);
  if (!entry) throw new HttpError(404, `not following ${target}`);
  const actor = await lookupActor(ctx, target);
  const original = await Follow.fromJsonLd(entry.follow, ctx);
  await ctx.sendActivity({ identifier: NAME }, actor, new Undo({
    id: new URL(`${ORIGIN}/undos/${randomUUID()}`),
    actor: ctx.getActorUri(NAME),
    object: original,
  }));
  following.delete(target);
  return { undone: entry.followId };
}

// Recipients of a note: every actor named in to/cc, plus our followers when the note is public
// or addressed to our followers collection (as Mastodon does).
async function noteRecipients(ctx, addresses) {
  const followersUri = ctx.getFollowersUri(NAME).href;
  const actors = [];
  let toFollowers = false;
  for (const address of addresses) {
    if (address === PUBLIC_COLLECTION.href || address === followersUri) toFollowers = true;
    else actors.push(await lookupActor(ctx, address));
  }
  return { actors, toFollowers };
}

async function deliver(ctx, { actors, toFollowers }, activity) {
  if (actors.length > 0) {
    await ctx.sendActivity({ identifier: NAME }, actors, activity, { preferSharedInbox: true });
  }
  if (toFollowers && followers.size > 0) {
    await ctx.sendActivity({ identifier: NAME }, "followers", activity, { preferSharedInbox: true });
  }
}

async function post(ctx, body) {
  const to = body.to ?? [ctx.getFollowersUri(NAME).href];
  const cc = body.cc ?? [];
  return await publish(ctx, body, to, cc, [], null);
}

// Creates our Note, keeps it dereferenceable at its id (the object dispatcher above) and sends
// the Create: to `inbox` alone when given, else to every actor in to/cc and our followers.
async function publish(ctx, body, to, cc, tags, inbox) {
  const id = ctx.getObjectUri(Note, { identifier: NAME, id: randomUUID() });
  const note = new Note({
    id,
    attribution: ctx.getActorUri(NAME),
    content: need(body, "content"),
    tos: to.map((u) => new URL(u)),
    ccs: cc.map((u) => new URL(u)),
    tags,
    replyTarget: body.inReplyTo ? new URL(body.inReplyTo) : null,
    published: Temporal.Now.instant(),
    url: id,
  });
  const recipients = inbox == null ? await noteRecipients(ctx, [...to, ...cc])
    : { actors: [inbox], toFollowers: false };
  notes.set(id.href, { note, recipients, deleted: false });
  const create = new Create({
    id: new URL(`${id.href}#create`),
    actor: ctx.getActorUri(NAME),
    object: note,
    tos: note.toIds,
    ccs: note.ccIds,
  });
  await deliver(ctx, recipients, create);
  return { id: id.href, activity: create.id.href };
}

// The author of a post, looked up by Fedify from the post's id (the parent of a reply).
async function authorOf(ctx, url) {
  const object = await ctx.lookupObject(url);
  const author = object?.attributionId;
  if (author == null) throw new HttpError(502, `${url} did not resolve to a post with an author`);
  return await lookupActor(ctx, author.href);
}

// A reply as Mastodon writes one: public, the parent's author in cc and named by a Mention tag
// (href = actor id, name = @user@host). The parent and its author are resolved by Fedify.
// Sent to `inbox` when given, else to the author's (shared) inbox and our followers.
async function reply(ctx, body) {
  const parent = need(body, "inReplyTo");
  const author = await authorOf(ctx, parent);
  const to = body.to ?? [PUBLIC_COLLECTION.href];
  const cc = body.cc ?? [author.id.href];
  if (!to.includes(author.id.href) && !cc.includes(author.id.href)) cc.push(author.id.href);
  const handle = `@${author.preferredUsername}@${author.id.host}`;
  const tags = body.mention === false ? [] : [new Mention({ href: author.id, name: handle })];
  const inbox = body.inbox == null ? null : { id: author.id, inboxId: new URL(body.inbox) };
  return { ...(await publish(ctx, body, to, cc, tags, inbox)), inReplyTo: parent,
    mentioned: author.id.href };
}

// Update of a Note we do NOT own (a forgery a receiver must ignore): the note is fetched from its
// own id, its content replaced, and Update{Note} signed by us is sent to `inbox` only.
async function updateForeign(ctx, body) {
  const id = need(body, "id");
  const inbox = need(body, "inbox");
  const original = await ctx.lookupObject(id).catch(() => null);
  const updated = Temporal.Now.instant();
  const note = original instanceof Note
    ? original.clone({ content: need(body, "content"), updated })
    : new Note({ id: new URL(id), content: need(body, "content"), updated });
  const activity = new Update({
    id: new URL(`${ORIGIN}/updates/${randomUUID()}`),
    actor: ctx.getActorUri(NAME),
    object: note,
    tos: note.toIds,
    ccs: note.ccIds,
  });
  const recipient = {
    id: body.recipient ? new URL(body.recipient) : null, inboxId: new URL(inbox),
  };
  // The receiver may refuse at once (4xx): that is an answer for the test, not a peer failure.
  let refused = null;
  await ctx.sendActivity({ identifier: NAME }, recipient, activity).catch((error) => {
    if (typeof error?.statusCode !== "number") throw error;
    refused = { status: error.statusCode, message: String(error.message) };
  });
  return {
    id, activity: activity.id.href, attributedTo: note.attributionId?.href ?? null,
    accepted: refused == null, refused,
  };
}

// Notes that arrived in a Create or Update, flattened for tests: the object as received (an
// object referenced only by its id has just that id).
function receivedNotes(searchParams) {
  const inReplyTo = searchParams.get("inReplyTo");
  const type = searchParams.get("type"); // activity type, Create by default
  const first = (value) => (Array.isArray(value) ? value[0] : value);
  const idOf = (value) => (typeof value === "object" && value != null ? value.id : value) ?? null;
  const list = (value) => (value == null ? [] : Array.isArray(value) ? value : [value]).map(idOf);
  return received
    .filter((r) => r.type === (type ?? "Create"))
    .map((r) => {
      const object = first(r.activity?.object);
      const note = typeof object === "object" && object != null ? object : { id: object };
      return {
        activityType: r.type, activityId: r.id, actor: r.actor, recipient: r.recipient,
        id: note.id ?? null, type: first(note.type) ?? null,
        attributedTo: idOf(first(note.attributedTo)), inReplyTo: idOf(first(note.inReplyTo)),
        content: note.content ?? null, to: list(note.to), cc: list(note.cc),
        tag: note.tag == null ? [] : Array.isArray(note.tag) ? note.tag : [note.tag],
        context: idOf(first(note.context)), signature: r.signature, receivedAt: r.receivedAt,
      };
    })
    .filter((n) => inReplyTo == null || n.inReplyTo === inReplyTo);
}

// The posts this peer has, the way a user of it would see them: its own notes and the notes
// that arrived in a Create or Update Fedify accepted (it authenticated each one: HTTP signature
// of the actor, or an integrity proof by the actor when someone else forwarded it), minus those
// whose author's Delete arrived. `via` names the inbox activities that brought each post.
function postsView() {
  const first = (value) => (Array.isArray(value) ? value[0] : value);
  const idOf = (value) => (typeof value === "object" && value != null ? value.id : value) ?? null;
  const posts = new Map();
  for (const [id, entry] of notes) {
    posts.set(id, {
      id, attributedTo: entry.note.attributionId?.href ?? null,
      inReplyTo: entry.note.replyTargetId?.href ?? null, own: true, deleted: entry.deleted,
      via: [],
    });
  }
  const deletes = [];
  for (const r of received) {
    const object = first(r.activity?.object);
    const objectId = idOf(object);
    if (objectId == null) continue;
    const via = { type: r.type, signer: r.signature?.keyId ?? null, proof: !!r.signature?.proof };
    if (r.type === "Delete") {
      deletes.push({ objectId, actor: r.actor, via });
    } else if (r.type === "Create" || r.type === "Update") {
      const note = typeof object === "object" ? object : {};
      // A post is believed only from its author (Fedify checked who the actor is).
      if (idOf(first(note.attributedTo)) !== r.actor) continue;
      const entry = posts.get(objectId) ?? {
        id: objectId, attributedTo: idOf(first(note.attributedTo)),
        inReplyTo: idOf(first(note.inReplyTo)), own: false, deleted: false, via: [],
      };
      entry.via.push(via);
      posts.set(objectId, entry);
    }
  }
  // Applied after every Create, so a Delete that overtook its Create still counts.
  for (const { objectId, actor, via } of deletes) {
    const entry = posts.get(objectId);
    if (entry && entry.attributedTo === actor) {
      entry.deleted = true;
      entry.via.push(via);
    }
  }
  return [...posts.values()];
}

function ownNote(body) {
  const entry = notes.get(need(body, "id"));
  if (!entry || entry.deleted) throw new HttpError(404, `no such note: ${body.id}`);
  return entry;
}

async function update(ctx, body) {
  const entry = ownNote(body);
  entry.note = entry.note.clone({ content: need(body, "content"), updated: Temporal.Now.instant() });
  const activity = new Update({
    id: new URL(`${entry.note.id.href}#update-${randomUUID()}`),
    actor: ctx.getActorUri(NAME),
    object: entry.note,
    tos: entry.note.toIds,
    ccs: entry.note.ccIds,
  });
  await deliver(ctx, entry.recipients, activity);
  return { id: entry.note.id.href, activity: activity.id.href };
}

async function remove(ctx, body) {
  const entry = ownNote(body);
  entry.deleted = true;
  const activity = new Delete({
    id: new URL(`${entry.note.id.href}#delete`),
    actor: ctx.getActorUri(NAME),
    object: new Tombstone({ id: entry.note.id }),
    tos: entry.note.toIds,
    ccs: entry.note.ccIds,
  });
  await deliver(ctx, entry.recipients, activity);
  return { id: entry.note.id.href, activity: activity.id.href };
}

// Signs an arbitrary activity with Fedify's own signRequest (RFC 9421 or draft-cavage) and
// POSTs it once, with no fallback, so a test sees exactly how the receiver answers each knock.
async function postRaw(ctx, body) {
  const inbox = need(body, "inbox");
  const activity = need(body, "activity", "object");
  const [rsa] = await ctx.getActorKeyPairs(NAME);
  const unsigned = new Request(inbox, {
    method: "POST",
    headers: {
      "Content-Type": "application/activity+json",
      Accept: "application/activity+json",
    },
    body: JSON.stringify(activity),
  });
  const spec = body.rfc9421 === false ? "draft-cavage-http-signatures-12" : "rfc9421";
  const signed = await signRequest(unsigned, rsa.privateKey, rsa.keyId, { spec });
  const response = await fetch(signed, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  return {
    status: response.status,
    body: await response.text(),
    spec,
    signatureInput: signed.headers.get("Signature-Input"),
    signature: signed.headers.get("Signature"),
  };
}

async function exportKey() {
  const [rsa] = await federation.createContext(new URL(ORIGIN)).getActorKeyPairs(NAME);
  const pem = (key, type) => KeyObject.from(key).export({ type, format: "pem" });
  return {
    keyId: rsa.keyId.href,
    privateKeyPem: pem(rsa.privateKey, "pkcs1"),
    publicKeyPem: pem(rsa.publicKey, "spki"),
  };
}

async function control(request) {
  const url = new URL(request.url);
  const ctx = federation.createContext(request, undefined);
  const body = request.method === "POST" ? await request.json().catch(() => {
    throw new HttpError(400, "body must be JSON");
  }) : {};
  const route = `${request.method} ${url.pathname.slice("/control".length)}`;
  switch (route) {
    case "GET /health":
      return { ok: true, name: NAME, actor: ctx.getActorUri(NAME).href };
    case "GET /received": {
      const type = url.searchParams.get("type");
      return received.filter((r) => type == null || r.type === type);
    }
    case "GET /following":
      return Object.fromEntries([...following].map(([t, e]) => [t, {
        state: e.state, followId: e.followId,
      }]));
    case "GET /followers":
      return [...followers.keys()];
    case "GET /key":
      return await exportKey();
    case "POST /follow":
      return await follow(ctx, need(body, "target"));
    case "POST /follow-handle":
      return await follow(ctx, await resolveHandle(need(body, "handle")));
    case "POST /unfollow":
      return await unfollow(ctx, need(body, "target"));
    case "POST /post":
      return await post(ctx, body);
    case "GET /notes":
      return receivedNotes(url.searchParams);
    case "GET /posts":
      return postsView();
    case "POST /reply":
      return await reply(ctx, body);
    case "POST /update-foreign":
      return await updateForeign(ctx, body);
    case "POST /update":
      return await update(ctx, body);
    case "POST /delete":
      return await remove(ctx, body);
    case "POST /post-raw":
      return await postRaw(ctx, body);
    default: {
      const answer = (await groupControl(route, ctx, url, received)) ??
        (await pollControl(route, { ctx, body, url }, { NAME, received, need, HttpError,
          lookupActor }));
      if (answer === undefined || answer === null) {
        throw new HttpError(404, `no control route ${route}`);
      }
      return answer;
    }
  }
}

// --- node:http adapter -------------------------------------------------------------------

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
