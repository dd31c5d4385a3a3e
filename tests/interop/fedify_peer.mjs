// An independent ActivityPub actor built only with Fedify 2.3.6's own APIs, run on loopback by
// civicpub's interop tests. Everything federation-related (actor document, WebFinger, key
// publication, inbox signature checks, outbound signing and delivery) is Fedify's code, not
// ours: that is the point of an interop peer. Our code is only glue: a node:http adapter, an
// in-memory state and a JSON control API under /control/ that tests use to drive the actor.
//
//   node fedify_peer.mjs --port PORT [--name NAME] [--host 127.0.0.X]
//
// Set FEDIFY_PEER_DEBUG=1 to get Fedify's own debug log on stderr.
import { parseArgs } from "node:util";
import { createPeerFederation } from "./fedify_peer_federation.mjs";
import { controlOf } from "./fedify_peer_control.mjs";
import { serve } from "./fedify_peer_http.mjs";
import { notesOf } from "./fedify_peer_notes.mjs";

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

// Modules: fedify_peer_federation.mjs (actor, dispatchers, inbox listeners, state),
// fedify_peer_notes.mjs (our notes and the received ones), fedify_peer_control.mjs (the
// control API, with fedify_peer_groups.mjs and fedify_peer_polls.mjs), fedify_peer_http.mjs
// (the node:http adapter).
const { federation, state, inboxRequest } = await createPeerFederation({ ORIGIN, NAME });
const notes = notesOf({ ORIGIN, NAME, state });
const control = controlOf({ ORIGIN, NAME, FETCH_TIMEOUT_MS, federation, state, notes });
serve({ HOST, PORT, ORIGIN, NAME, federation, inboxRequest, control });
