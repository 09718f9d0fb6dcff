// The WebRTC SDK's browser build: a script that sets window.KVSWebRTC (see live.client.ts).
declare module "amazon-kinesis-video-streams-webrtc/dist/kvs-webrtc.min.js";
