// Small helpers the Fedify peer's modules share (fedify_peer.mjs): the control API's error
// type, a body field check and an actor lookup through Fedify.

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function need(body, field, kind = "string") {
  const value = body[field];
  const ok = kind === "array" ? Array.isArray(value) : typeof value === kind;
  if (!ok) throw new HttpError(400, `"${field}" must be a ${kind}`);
  return value;
}

export async function lookupActor(ctx, url) {
  const actor = await ctx.lookupObject(url);
  if (actor?.id == null || actor.inboxId == null) {
    throw new HttpError(502, `${url} did not resolve to an actor with an inbox`);
  }
  return actor;
}
