// Server-side AWS Signature Version 4 check for the AWS stand-in, as the real endpoints do it
// (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): rebuild the canonical
// request from what arrived, derive the key from the secret of the access key, compare.
//
// Error codes and messages are the ones AWS's JSON/REST-JSON front ends send (x-amzn-ErrorType):
// - InvalidSignatureException, 403, "The request signature we calculated does not match ..."
//   (KVS: awslabs/amazon-kinesis-video-streams-producer-sdk-cpp#413 body, aws/aws-sdk-net#1033
//   header "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/");
//   also for expired / not-yet-current signatures ("Signature expired: ... is now earlier than ...",
//   producer-sdk-cpp#1099) and a credential scope with the wrong date, region or service.
// - UnrecognizedClientException, 403, "The security token included in the request is invalid."
//   (REST services answer 403, iann0036/iamlive#58).
// - IncompleteSignatureException for a malformed Authorization header ("Authorization header
//   requires 'Credential' parameter. ..."); the brief asks for 403 on every auth failure, which is
//   what REST front ends send (aws/chalice#828); JSON-1.x services send 400.
// - MissingAuthenticationTokenException, 403, "Missing Authentication Token" with no Authorization.
import crypto from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";
/** AWS rejects requests whose X-Amz-Date is more than 15 minutes away from its clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const sha256Hex = (data) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => crypto.createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function uriEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Canonical URI for every service except S3: the path as sent (already encoded once) is encoded
 * again segment by segment; repeated slashes collapse.
 */
export function canonicalUri(rawPath) {
  const path = (rawPath || "/").replace(/\/+/g, "/");
  return path.split("/").map(uriEncode).join("/");
}

export function canonicalQuery(rawQuery) {
  return [...new URLSearchParams(rawQuery || "")]
    .filter(([k]) => k)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function fail(code, message, status = 403) {
  return { ok: false, status, code, message };
}

function parseAmzDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(t) ? null : t;
}

const basic = (ms) => new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, "");

/**
 * @param {{method: string, rawPath: string, rawQuery: string, headers: Record<string, string|string[]|undefined>,
 *   body: Buffer, service: string, region: string, credentials: Map<string,string>, now?: number}} req
 * @returns {{ok: true, accessKeyId: string} | {ok: false, status: number, code: string, message: string}}
 */
export function verifySigV4({ method, rawPath, rawQuery, headers, body, service, region, credentials, now = Date.now() }) {
  const header = (name) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const auth = header("authorization");
  if (!auth) return fail("MissingAuthenticationTokenException", "Missing Authentication Token");
  if (!auth.startsWith(ALGORITHM + " ")) {
    return fail("IncompleteSignatureException", `Unsupported Authorization Type: '${auth.split(" ")[0]}'.`);
  }
  const parts = {};
  for (const piece of auth.slice(ALGORITHM.length + 1).split(/,\s*/)) {
    if (!piece.trim()) continue;
    const eq = piece.indexOf("=");
    if (eq < 0) {
      return fail("IncompleteSignatureException", `'${piece.trim()}' not a valid key=value pair (missing equal-sign) in Authorization header: '${auth}'.`);
    }
    parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  const amzDate = header("x-amz-date");
  const missing = [];
  if (!parts.Credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!parts.Signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!parts.SignedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!amzDate && !header("date")) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length) return fail("IncompleteSignatureException", `${missing.join(" ")} Authorization=${auth}`);

  const requestTime = amzDate ? parseAmzDate(amzDate) : Date.parse(header("date"));
  if (requestTime == null || Number.isNaN(requestTime)) {
    return fail(
      "IncompleteSignatureException",
      `Date must be in ISO-8601 'basic format'. Got '${amzDate ?? header("date")}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const dateTime = amzDate ?? basic(requestTime);

  const scope = parts.Credential.split("/");
  if (scope.length !== 5) {
    return fail(
      "IncompleteSignatureException",
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.Credential}'`,
    );
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope;
  const secret = credentials.get(accessKeyId);
  if (secret === undefined) return fail("UnrecognizedClientException", "The security token included in the request is invalid.");
  if (terminator !== "aws4_request") {
    return fail("InvalidSignatureException", `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  if (scopeDate !== dateTime.slice(0, 8)) {
    return fail(
      "InvalidSignatureException",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${dateTime.slice(0, 8)}', from '${dateTime}'.`,
    );
  }
  if (scopeRegion !== region) return fail("InvalidSignatureException", `Credential should be scoped to a valid region, not '${scopeRegion}'. `);
  if (scopeService !== service) return fail("InvalidSignatureException", `Credential should be scoped to correct service: '${service}'. `);
  if (requestTime < now - MAX_SKEW_MS) {
    return fail("InvalidSignatureException", `Signature expired: ${dateTime} is now earlier than ${basic(now - MAX_SKEW_MS)} (${basic(now)} - 15 min.)`);
  }
  if (requestTime > now + MAX_SKEW_MS) {
    return fail(
      "InvalidSignatureException",
      `Signature not yet current: ${dateTime} is still later than ${basic(now + MAX_SKEW_MS)} (${basic(now)} + 15 min.)`,
    );
  }

  const signedHeaders = parts.SignedHeaders.split(";");
  if (!signedHeaders.includes("host")) {
    return fail("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const bodyHash = sha256Hex(body ?? Buffer.alloc(0));
  const claimedHash = header("x-amz-content-sha256");
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    // KVS signs the payload; an unsigned or wrong payload hash is refused rather than trusted.
    return fail("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const canonicalHeaders = signedHeaders
    .map(
      (h) =>
        `${h}:${String(header(h) ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonicalRequest = [
    method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    parts.SignedHeaders,
    claimedHash ?? bodyHash,
  ].join("\n");
  const credentialScope = `${scopeDate}/${scopeRegion}/${scopeService}/aws4_request`;
  const stringToSign = [ALGORITHM, dateTime, credentialScope, sha256Hex(canonicalRequest)].join("\n");
  const kDate = hmac("AWS4" + secret, scopeDate);
  const kSigning = hmac(hmac(hmac(kDate, scopeRegion), scopeService), "aws4_request");
  const expected = hmac(kSigning, stringToSign);
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(parts.Signature) ? parts.Signature : "", "hex");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    return fail(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n" +
        `The Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    );
  }
  return { ok: true, accessKeyId };
}

/**
 * A SigV4 query-string ("presigned") request, as the KVS WebRTC signaling endpoint gets it on the
 * WebSocket upgrade (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html, "query
 * string"; the KVS WebRTC JS SDK's SigV4RequestSigner.getSignedURL): X-Amz-Algorithm,
 * X-Amz-Credential, X-Amz-Date, X-Amz-Expires (≤ 604800), X-Amz-SignedHeaders (host),
 * X-Amz-Signature, the other query parameters signed with them, the payload hash of an empty body.
 * Refused when expired (X-Amz-Date + X-Amz-Expires in the past) or dated > 15 min ahead.
 * @returns {{ok: true, accessKeyId: string, params: URLSearchParams} | {ok: false, status: number, code: string, message: string}}
 */
export function verifyPresignedQuery({ method = "GET", rawPath, rawQuery, headers, service, region, credentials, now = Date.now() }) {
  const params = new URLSearchParams(rawQuery || "");
  const get = (k) => params.get(k);
  const missing = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"].filter((k) => !get(k));
  if (missing.length)
    return fail(
      missing.length === 6 ? "MissingAuthenticationTokenException" : "IncompleteSignatureException",
      `Missing query parameters: ${missing.join(", ")}`,
    );
  if (get("X-Amz-Algorithm") !== ALGORITHM) return fail("IncompleteSignatureException", `Unsupported X-Amz-Algorithm '${get("X-Amz-Algorithm")}'.`);
  const requestTime = parseAmzDate(get("X-Amz-Date"));
  if (requestTime == null) return fail("IncompleteSignatureException", `X-Amz-Date must be in ISO-8601 'basic format'. Got '${get("X-Amz-Date")}'.`);
  const expires = Number(get("X-Amz-Expires"));
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800)
    return fail("IncompleteSignatureException", "X-Amz-Expires must be an integer between 1 and 604800.");
  const scope = get("X-Amz-Credential").split("/");
  if (scope.length !== 5)
    return fail("IncompleteSignatureException", `Credential must have exactly 5 slash-delimited elements, got '${get("X-Amz-Credential")}'`);
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope;
  const secret = credentials.get(accessKeyId);
  if (secret === undefined) return fail("UnrecognizedClientException", "The security token included in the request is invalid.");
  if (terminator !== "aws4_request" || scopeDate !== get("X-Amz-Date").slice(0, 8))
    return fail("InvalidSignatureException", "The credential scope is not valid for this request's date.");
  if (scopeRegion !== region) return fail("InvalidSignatureException", `Credential should be scoped to a valid region, not '${scopeRegion}'. `);
  if (scopeService !== service) return fail("InvalidSignatureException", `Credential should be scoped to correct service: '${service}'. `);
  if (requestTime + expires * 1000 < now)
    return fail("InvalidSignatureException", `Signature expired: ${get("X-Amz-Date")} + ${expires} s is earlier than ${basic(now)}.`);
  if (requestTime > now + MAX_SKEW_MS)
    return fail("InvalidSignatureException", `Signature not yet current: ${get("X-Amz-Date")} is still later than ${basic(now + MAX_SKEW_MS)}.`);
  const signedHeaders = get("X-Amz-SignedHeaders");
  if (!signedHeaders.split(";").includes("host")) return fail("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const header = (name) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const canonicalHeaders = signedHeaders
    .split(";")
    .map(
      (h) =>
        `${h}:${String(header(h) ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const unsigned = [...params].filter(([k]) => k !== "X-Amz-Signature");
  const query = canonicalQuery(new URLSearchParams(unsigned).toString());
  const kDate = hmac("AWS4" + secret, scopeDate);
  const kSigning = hmac(hmac(hmac(kDate, scopeRegion), scopeService), "aws4_request");
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(get("X-Amz-Signature")) ? get("X-Amz-Signature") : "", "hex");
  // The KVS SDK signs the hash of an empty payload; accept UNSIGNED-PAYLOAD too (SigV4 allows it for
  // query signing), nothing else.
  for (const payloadHash of [sha256Hex(""), "UNSIGNED-PAYLOAD"]) {
    const canonicalRequest = [method, canonicalUri(rawPath), query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
    const stringToSign = [ALGORITHM, get("X-Amz-Date"), `${scopeDate}/${scopeRegion}/${scopeService}/aws4_request`, sha256Hex(canonicalRequest)].join("\n");
    const expected = hmac(kSigning, stringToSign);
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) return { ok: true, accessKeyId, params };
  }
  return fail(
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
  );
}
