// The peer's JSON control API under /control/ (fedify_peer.mjs), which tests use to drive the
// actor: follows, posts, replies, raw signed POSTs, and what was received.
import { randomUUID, KeyObject } from "node:crypto";
import { signRequest } from "@fedify/fedify";
import { Follow, Undo } from "@fedify/vocab";
import { HttpError, lookupActor, need } from "./fedify_peer_common.mjs";
import { groupControl } from "./fedify_peer_groups.mjs";
import { pollControl } from "./fedify_peer_polls.mjs";

// The control handler: (Request) -> the JSON answer, or throws HttpError.
export function controlOf({ ORIGIN, NAME, FETCH_TIMEOUT_MS, federation, state, notes }) {
  const { received, followers, following } = state;
  const { post, reply, updateForeign, receivedNotes, postsView, update, remove } = notes;

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

  return control;
}
