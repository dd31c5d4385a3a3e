// The peer's own notes and its view of the notes it received (fedify_peer.mjs): publishing,
// replies, updates and deletes of its notes, a forged Update of someone else's, and the lists
// the control API gives tests.
import { randomUUID } from "node:crypto";
import { Temporal } from "@js-temporal/polyfill";
import { Create, Delete, Mention, Note, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import { HttpError, lookupActor, need } from "./fedify_peer_common.mjs";

// The note operations of the actor NAME at ORIGIN over the peer's state.
export function notesOf({ ORIGIN, NAME, state }) {
  const { received, followers, notes } = state;

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

  return { post, reply, updateForeign, receivedNotes, postsView, update, remove };
}
