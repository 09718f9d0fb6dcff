// KVS WebRTC signaling over WebSocket for the AWS stand-in: the WSS endpoint that
// GetSignalingChannelEndpoint hands out (here ws://, the stand-in's own port).
//
// Connect (docs.aws.amazon.com/kinesisvideostreams-webrtc-dg/latest/devguide/kvswebrtc-websocket-apis-1.html
// "ConnectAsMaster", -2.html "ConnectAsViewer"): GET / with a SigV4-presigned query, service
// `kinesisvideo`, as the KVS WebRTC SDK's SigV4RequestSigner and our presignViewerUrl build it:
// X-Amz-ChannelARN, X-Amz-ClientId (viewers only; its absence means MASTER), X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature. A forged,
// expired or foreign signature is refused with HTTP 403 on the upgrade (an unknown channel: 404).
//
// Messages (SendSdpOffer / SendSdpAnswer / SendIceCandidate, kvswebrtc-websocket-apis-3..5):
//   client → service  {action: "SDP_OFFER" | "SDP_ANSWER" | "ICE_CANDIDATE",
//                      messagePayload: base64(JSON of the RTCSessionDescription / RTCIceCandidate),
//                      recipientClientId? (required from the master), correlationId?}
//   service → client  {messageType, messagePayload, senderClientId? (the viewer's id, to the master)}
//   errors (only when a correlationId was given): {messageType: "STATUS_RESPONSE", messagePayload: "",
//                      statusResponse: {correlationId, errorType, statusCode, description}}
// SINGLE_MASTER rules: viewers talk to the master only; an offer for a channel whose master is not
// connected waits MessageTtlSeconds for it. Each channel's master is the stand-in camera peer
// (./camera-peer.mjs) unless a real MASTER connects (then that one answers), or the camera is
// switched off with POST /__standin/webrtc {disabled: true, channel?} so live view fails over to HLS.
import { WebSocketServer } from "ws";
import { verifyPresignedQuery } from "./sigv4.mjs";

const CLIENT_ID = /^[a-zA-Z0-9_.-]{1,256}$/;
const ACTIONS = new Set(["SDP_OFFER", "SDP_ANSWER", "ICE_CANDIDATE"]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function refuse(socket, status, code, message) {
  const body = JSON.stringify({ __type: code, message });
  const reason = { 400: "Bad Request", 403: "Forbidden", 404: "Not Found" }[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nx-amzn-ErrorType: ${code}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Adds the signaling WebSocket endpoint to `server` (the stand-in's http.Server).
 * `camera` is the camera peer set; `state.webrtc` holds the fault switch and counters.
 */
export function attachSignaling({ server, state, credentials, camera }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  /** channel name → {masterWs, viewers: Map<clientId, ws>, queued: [{from, msg, until}]} */
  const rooms = new Map();
  const room = (name) => {
    let r = rooms.get(name);
    if (!r) rooms.set(name, (r = { masterWs: null, viewers: new Map(), queued: [] }));
    return r;
  };
  const stats = state.webrtc.stats;

  const cameraOn = (channel) => !state.webrtc.disabledAll && !state.webrtc.disabled.has(channel.name);

  server.on("upgrade", (req, socket, head) => {
    const target = req.url ?? "/";
    const q = target.indexOf("?");
    const rawPath = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? "" : target.slice(q + 1);
    if (rawPath !== "/") return refuse(socket, 404, "ResourceNotFoundException", `No WebSocket endpoint at ${rawPath}.`);
    const auth = verifyPresignedQuery({ rawPath, rawQuery, headers: req.headers, service: "kinesisvideo", region: state.region, credentials });
    if (!auth.ok) {
      stats.refused++;
      return refuse(socket, 403, auth.code, auth.message);
    }
    const arn = auth.params.get("X-Amz-ChannelARN");
    const channel = arn && [...state.channels.values()].find((c) => c.arn === arn);
    if (!channel) return refuse(socket, 404, "ResourceNotFoundException", `Channel ${arn} not found.`);
    const clientId = auth.params.get("X-Amz-ClientId");
    if (clientId !== null && !CLIENT_ID.test(clientId))
      return refuse(socket, 400, "InvalidArgumentException", "X-Amz-ClientId must match [a-zA-Z0-9_.-]+ (at most 256 characters).");
    // The URL's expiry only matters for connecting: an open connection stays open.
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, channel, clientId));
  });

  function onConnection(ws, channel, clientId) {
    const r = room(channel.name);
    const isMaster = clientId === null;
    stats.connections++;
    if (isMaster) {
      r.masterWs?.close(1000, "replaced by a newer master connection");
      r.masterWs = ws;
      // Deliver what viewers sent while no master was connected (within the channel's TTL).
      const pending = r.queued.filter((m) => m.until > Date.now());
      r.queued = [];
      for (const m of pending) ws.send(JSON.stringify(m.msg));
    } else {
      r.viewers.get(clientId)?.close(1000, "replaced by a newer connection with this client id");
      r.viewers.set(clientId, ws);
    }
    const status = (correlationId, errorType, statusCode, description) => {
      if (!correlationId) return;
      ws.send(
        JSON.stringify({
          senderClientId: "",
          messageType: "STATUS_RESPONSE",
          messagePayload: "",
          statusResponse: { correlationId, errorType, statusCode: String(statusCode), description },
        }),
      );
    };
    /** Delivers to a viewer of this channel (from the master or the camera peer). */
    const toViewer = (viewerId, messageType, messagePayload) => {
      const v = r.viewers.get(viewerId);
      if (!v || v.readyState !== v.OPEN) return false;
      v.send(JSON.stringify({ messageType, messagePayload }));
      return true;
    };

    ws.on("message", (data, isBinary) => {
      let msg;
      try {
        msg = JSON.parse(isBinary ? Buffer.from(data).toString("utf8") : data.toString());
      } catch {
        return; // not JSON: KVS ignores it
      }
      const { action, messagePayload, recipientClientId, correlationId } = msg ?? {};
      if (!ACTIONS.has(action)) return status(correlationId, "InvalidArgumentException", 400, `Unknown action ${action}.`);
      if (typeof messagePayload !== "string" || !messagePayload || messagePayload.length > 256 * 1024 || !BASE64.test(messagePayload)) {
        return status(correlationId, "InvalidArgumentException", 400, "messagePayload must be a base64 string.");
      }
      stats.messages[action] = (stats.messages[action] ?? 0) + 1;
      if (isMaster) {
        if (typeof recipientClientId !== "string" || !toViewer(recipientClientId, action, messagePayload)) {
          status(correlationId, "InvalidArgumentException", 400, `Recipient ${recipientClientId} is not connected.`);
        }
        return;
      }
      // A viewer talks to the master only (SINGLE_MASTER); viewers never send answers.
      if (action === "SDP_ANSWER") return status(correlationId, "InvalidArgumentException", 400, "A viewer cannot send an SDP answer.");
      const forward = { senderClientId: clientId, messageType: action, messagePayload };
      if (r.masterWs && r.masterWs.readyState === r.masterWs.OPEN) return r.masterWs.send(JSON.stringify(forward));
      if (cameraOn(channel)) {
        let payload;
        try {
          payload = JSON.parse(Buffer.from(messagePayload, "base64").toString("utf8"));
        } catch {
          return status(correlationId, "InvalidArgumentException", 400, "messagePayload is not base64 of JSON.");
        }
        return camera.onMessage(channel.name, clientId, action, payload, (type, obj) =>
          toViewer(clientId, type, Buffer.from(JSON.stringify(obj)).toString("base64")),
        );
      }
      // No master now: KVS keeps the message for the channel's MessageTtlSeconds.
      stats.undelivered++;
      r.queued.push({ msg: forward, until: Date.now() + channel.messageTtlSeconds * 1000 });
    });

    ws.on("close", () => {
      if (isMaster && r.masterWs === ws) r.masterWs = null;
      if (!isMaster && r.viewers.get(clientId) === ws) {
        r.viewers.delete(clientId);
        camera.onViewerGone(channel.name, clientId);
      }
    });
  }

  return {
    /** Who is connected where (GET /__standin/webrtc). */
    describe: () =>
      [...rooms.entries()]
        .filter(([, r]) => r.masterWs || r.viewers.size)
        .map(([name, r]) => ({ channel: name, master: !!r.masterWs, viewers: [...r.viewers.keys()] })),
    close: () => {
      for (const r of rooms.values()) {
        r.masterWs?.terminate();
        for (const v of r.viewers.values()) v.terminate();
      }
      wss.close();
    },
  };
}
