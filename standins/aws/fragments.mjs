// ListFragments for the AWS stand-in (kinesis-video-archived-media, POST /listFragments on the data
// endpoint). Shapes from botocore's kinesis-video-archived-media 2017-09-30 model (ListFragmentsInput,
// ListFragmentsOutput, Fragment, FragmentSelector, TimestampRange, NextToken) and the API reference
// docs.aws.amazon.com/kinesisvideostreams/latest/dg/API_reader_ListFragments.html:
//   request  {StreamName | StreamARN, MaxResults? (1..1000, default 100), NextToken?,
//             FragmentSelector? {FragmentSelectorType: PRODUCER_TIMESTAMP | SERVER_TIMESTAMP,
//                                TimestampRange {StartTimestamp, EndTimestamp}}}
//             ("FragmentSelector ... is only required when the NextToken isn't passed")
//   response {Fragments: [{FragmentNumber (string), FragmentSizeInBytes, ProducerTimestamp,
//             ServerTimestamp, FragmentLengthInMilliseconds}], NextToken? (absent on the last page)}
// "Results are in no specific order, even across pages": pages here cover consecutive stretches of
// time but each page is shuffled (deterministically), so a client that forgets to sort finds out.
// NextToken matches the model's pattern [a-zA-Z0-9+/]+={0,2} (standard base64) and is bound to the
// stream and the selector it was issued for.
import { invalid } from "./errors.mjs";
import { fragmentsIn } from "./footage.mjs";
import { hash32 } from "./picture.mjs";

export const LIST_FRAGMENTS_DEFAULT_MAX = 100;
const isTime = (v) => typeof v === "number" && Number.isFinite(v);

export function encodeToken(obj) {
  return Buffer.from(JSON.stringify(obj)).toString("base64");
}

/** The token's object if it is one of ours for `streamArn`, else null. */
export function decodeToken(token, streamArn, kind) {
  if (typeof token !== "string" || token.length < 1 || token.length > 4096 || !/^[a-zA-Z0-9+/]+={0,2}$/.test(token)) return null;
  try {
    const obj = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
    return obj && obj.k === kind && obj.s === streamArn ? obj : null;
  } catch {
    return null;
  }
}

export function checkSelector(selector) {
  if (!selector || typeof selector !== "object") throw invalid("FragmentSelector is required when NextToken is not given.");
  const type = selector.FragmentSelectorType;
  if (type !== "PRODUCER_TIMESTAMP" && type !== "SERVER_TIMESTAMP") throw invalid("FragmentSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP.");
  const range = selector.TimestampRange;
  if (!range || typeof range !== "object") throw invalid("TimestampRange is required.");
  if (!isTime(range.StartTimestamp) || !isTime(range.EndTimestamp)) throw invalid("StartTimestamp and EndTimestamp are required epoch-seconds numbers.");
  if (range.EndTimestamp < range.StartTimestamp) throw invalid("EndTimestamp must not be earlier than StartTimestamp.");
  return { type, start: range.StartTimestamp, end: range.EndTimestamp };
}

/** ListFragments for an already resolved `stream`; `opts` are footage options (now, floor, ...). */
export function listFragments({ stream, input, opts }) {
  const max = input.MaxResults ?? LIST_FRAGMENTS_DEFAULT_MAX;
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalid("MaxResults must be an integer between 1 and 1000.");
  let selector;
  if (input.NextToken !== undefined) {
    const token = decodeToken(input.NextToken, stream.arn, "lf");
    if (!token) throw invalid("The NextToken is invalid or does not belong to this stream.");
    selector = { type: token.y, start: token.a, end: token.e, after: token.c };
  } else {
    selector = checkSelector(input.FragmentSelector);
  }
  const page = [];
  let more = false;
  for (const f of fragmentsIn(stream, selector, opts)) {
    if (page.length === max) {
      more = true;
      break;
    }
    page.push(f);
  }
  const out = {
    Fragments: page
      .map((f) => ({
        FragmentNumber: f.number,
        FragmentSizeInBytes: f.size,
        ProducerTimestamp: f.producer,
        ServerTimestamp: f.server,
        FragmentLengthInMilliseconds: f.lengthMs,
      }))
      .sort((a, b) => hash32(a.FragmentNumber) - hash32(b.FragmentNumber)),
  };
  if (more) out.NextToken = encodeToken({ k: "lf", s: stream.arn, y: selector.type, a: selector.start, e: selector.end, c: page[page.length - 1].t });
  return out;
}
