// The Fedify side of the interop peer (fedify_peer.mjs): the actor, its keys, followers and
// notes dispatchers, and the inbox listeners that record what arrives. All federation work is
// Fedify's own code; this is the glue that keeps the peer's in-memory state.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import {
  Accept, Announce, Create, Delete, Endpoints, Follow, Note, Person, Reject, Undo, Update,
} from "@fedify/vocab";
import { installGroupListeners } from "./fedify_peer_groups.mjs";

// The federation of the actor NAME at ORIGIN, and the state it keeps (memory only: a peer
// lives for one test): { federation, state: { received, followers, following, notes },
// inboxRequest }.
export async function createPeerFederation({ ORIGIN, NAME }) {
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
  return { federation, state: { received, followers, following, notes }, inboxRequest };
}
