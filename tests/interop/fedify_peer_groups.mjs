// Group membership glue for the Fedify interop peer (fedify_peer.mjs): what a FEP-1b12 member
// server (Lemmy's model) does with a group's activities, built on Fedify 2.3.6's own APIs.
//
// - Inbox listeners for Flag (reports; Fedify answers 202 and drops an activity type nobody
//   listens to, so a test could not see one arrive), Block and Remove (a group moderator's).
//   They only record, like the peer's other listeners; Fedify verified the sender first.
// - GET /control/group-posts?group=URL: the posts this peer holds as a member of that group:
//   every Create(Note|Page) the group announced (Announce{object: <the Create, embedded>}),
//   with the embedded Create's integrity proof checked by Fedify's verifyObject, minus the
//   posts whose removal the group announced (Announce{Delete|Remove{object: <post id>}}); a
//   removed thread's top post takes its replies with it, as Lemmy and civicpub do.
import { verifyObject } from "@fedify/fedify";
import { Block, Create, Flag, Remove } from "@fedify/vocab";

export function installGroupListeners(inbox, record) {
  inbox.on(Flag, record).on(Block, record).on(Remove, record);
}

const first = (value) => (Array.isArray(value) ? value[0] : value);
const idOf = (value) => (typeof value === "object" && value != null ? value.id : value) ?? null;
const typeOf = (value) => (typeof value === "object" && value != null ? first(value.type) : null);

// Embedded Create id -> Promise<boolean>: each proof is checked once (its key is fetched by
// Fedify's document loader), not on every poll of a test.
const proofChecks = new Map();

function proofVerified(ctx, create) {
  const key = create.id ?? JSON.stringify(create);
  if (!proofChecks.has(key)) {
    const options = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
    proofChecks.set(key, create.proof == null ? Promise.resolve(false)
      : verifyObject(Create, create, options).then((object) => object != null, () => false));
  }
  return proofChecks.get(key);
}

async function groupPosts(ctx, received, group) {
  const posts = new Map();
  const removals = [];
  for (const r of received) {
    if (r.type !== "Announce" || r.actor !== group) continue; // Fedify verified the group
    const object = first(r.activity?.object);
    const kind = typeOf(object);
    if (kind === "Create") {
      const note = first(object.object);
      if (typeof note !== "object" || note == null || note.id == null) continue;
      const entry = posts.get(note.id) ?? {
        id: note.id, type: typeOf(note), attributedTo: idOf(first(note.attributedTo)),
        author: idOf(object.actor), inReplyTo: idOf(first(note.inReplyTo)),
        content: note.content ?? null, audience: idOf(first(note.audience)),
        context: idOf(first(note.context)), createId: object.id ?? null, announces: [],
        proofVerified: await proofVerified(ctx, object), boosted: false, removed: false,
        removedBy: null, removalSummary: null,
      };
      entry.announces.push({ id: r.id, signer: r.signature?.keyId ?? null,
        verified: !!r.signature?.verified });
      posts.set(note.id, entry);
    } else if (kind === "Delete" || kind === "Remove") {
      removals.push({ objectId: idOf(first(object.object)), by: idOf(object.actor),
        summary: object.summary ?? null, announce: r.id });
    }
  }
  // The group's Announce of a bare post id: how Mastodon followers see a new thread.
  for (const r of received) {
    const object = first(r.activity?.object);
    if (r.type === "Announce" && r.actor === group && typeof object === "string" &&
        posts.has(object)) posts.get(object).boosted = true;
  }
  // A removal applies to the post and, through inReplyTo, to everything below it.
  const removedBy = new Map(removals.map((removal) => [removal.objectId, removal]));
  const rootRemoval = (entry) => {
    for (let hops = 0; entry != null && hops < 100; hops++) {
      if (removedBy.has(entry.id)) return removedBy.get(entry.id);
      entry = posts.get(entry.inReplyTo);
    }
    return null;
  };
  for (const entry of posts.values()) {
    const removal = rootRemoval(entry);
    if (removal) {
      entry.removed = true;
      entry.removedBy = removal.by;
      entry.removalSummary = removal.summary;
    }
  }
  return { group, posts: [...posts.values()], removals };
}

// Answers a control route of this module, or undefined when the route is not one of them.
export async function groupControl(route, ctx, url, received) {
  if (route === "GET /group-posts") {
    const group = url.searchParams.get("group");
    if (!group) throw new Error("group=URL is required");
    return await groupPosts(ctx, received, group);
  }
  return undefined;
}
