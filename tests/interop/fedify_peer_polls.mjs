// Poll routes of the Fedify interop peer (fedify_peer.mjs imports them): the peer votes the way a
// Fedify app would, with Fedify's own vocabulary, and reports the polls it received as Fedify
// parsed them. Only glue is ours; reading and writing ActivityStreams is Fedify's.
//
//   POST /control/vote       {question, option, id?}  one vote, sent to the poll's author
//   GET  /control/questions  ?id=URL                  Questions received in Create/Update
import { randomUUID } from "node:crypto";
import { Activity, Create, Note, Question } from "@fedify/vocab";

// A vote as FEP-9967 and Mastodon shape it: Create(Note) with `name` = the option, `inReplyTo`
// = the question, attributed to us, addressed to the question's author only, no content. The
// question and its author are resolved by Fedify; the vote goes to the author's personal inbox.
// This is what Hollo, a Fedify app, sends (fedify-dev/hollo src/api/v1/polls.ts: the same
// vocabulary calls and `#votes/...` ids, one Create per option, to the author's inbox).
async function vote(ctx, body, peer) {
  const questionId = peer.need(body, "question");
  const option = peer.need(body, "option");
  const question = await ctx.lookupObject(questionId);
  if (!(question instanceof Question) || question.attributionId == null) {
    throw new peer.HttpError(502, `${questionId} did not resolve to a Question with an author`);
  }
  const author = await peer.lookupActor(ctx, question.attributionId.href);
  const me = ctx.getActorUri(peer.NAME);
  // Vote ids are `<actor>#votes/<n>` (Mastodon, Hollo); a new one unless the test repeats one.
  const id = new URL(body.id ?? `${me.href}#votes/${randomUUID()}`);
  const note = new Note({
    id,
    attribution: me,
    name: option,
    replyTarget: question.id,
    tos: [author.id],
  });
  const create = new Create({
    id: new URL(`${id.href}/activity`),
    actor: me,
    object: note,
    tos: [author.id],
  });
  await ctx.sendActivity({ identifier: peer.NAME }, author, create);
  return {
    id: id.href, activity: create.id.href, question: question.id.href, author: author.id.href,
    json: await create.toJsonLd(),
  };
}

// The options and their counts as Fedify reads them (`oneOf` is Fedify's exclusiveOptions,
// `anyOf` its inclusiveOptions; each count is the option Note's `replies.totalItems`).
async function optionsOf(question, options) {
  const read = async (iterable) => {
    const result = [];
    for await (const option of iterable) {
      const replies = await option.getReplies(options);
      result.push({ name: option.name?.toString() ?? null, totalItems: replies?.totalItems ?? null });
    }
    return result;
  };
  const exclusive = await read(question.getExclusiveOptions(options));
  if (exclusive.length > 0) return { multiple: false, options: exclusive };
  return { multiple: true, options: await read(question.getInclusiveOptions(options)) };
}

const instant = (value) => (value == null || typeof value === "boolean" ? value ?? null
  : value.toString());

// Every Create or Update the peer accepted whose object Fedify parses as a Question, oldest
// first: the activity re-read with Fedify's vocabulary from the JSON as received (an embedded
// Question is taken as sent; Fedify fetches only a bare reference).
async function questions(ctx, url, peer) {
  const wanted = url.searchParams.get("id");
  const loaders = {
    documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, suppressError: true,
  };
  const result = [];
  for (const r of peer.received) {
    if (r.type !== "Create" && r.type !== "Update") continue;
    const activity = await Activity.fromJsonLd(r.activity, loaders).catch(() => null);
    if (activity == null) continue;
    const object = await activity.getObject(loaders).catch(() => null);
    if (!(object instanceof Question)) continue;
    if (wanted != null && object.id?.href !== wanted) continue;
    result.push({
      activityType: r.type, activityId: r.id, actor: r.actor, recipient: r.recipient,
      id: object.id?.href ?? null, name: object.name?.toString() ?? null,
      content: object.content?.toString() ?? null,
      attributedTo: object.attributionId?.href ?? null,
      endTime: instant(object.endTime), closed: instant(object.closed), voters: object.voters,
      ...(await optionsOf(object, loaders)),
      signature: r.signature, receivedAt: r.receivedAt,
    });
  }
  return result;
}

// The answer to a poll route, or undefined for a route this module does not know.
export async function pollControl(route, { ctx, body, url }, peer) {
  switch (route) {
    case "POST /vote":
      return await vote(ctx, body, peer);
    case "GET /questions":
      return await questions(ctx, url, peer);
    default:
      return undefined;
  }
}
